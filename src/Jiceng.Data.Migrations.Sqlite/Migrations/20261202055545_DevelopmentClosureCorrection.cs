using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DevelopmentClosureCorrection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CorrectsStepId",
                table: "DevelopmentSteps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "DecidedOn",
                table: "DevelopmentSteps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "DevelopmentSteps",
                type: "TEXT",
                maxLength: 500,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CorrectsStepId",
                table: "DevelopmentSteps");

            migrationBuilder.DropColumn(
                name: "DecidedOn",
                table: "DevelopmentSteps");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "DevelopmentSteps");
        }
    }
}
