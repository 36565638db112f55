using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DevelopmentClosureCorrection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "corrects_step_id",
                table: "development_steps",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "decided_on",
                table: "development_steps",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reason",
                table: "development_steps",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "corrects_step_id",
                table: "development_steps");

            migrationBuilder.DropColumn(
                name: "decided_on",
                table: "development_steps");

            migrationBuilder.DropColumn(
                name: "reason",
                table: "development_steps");
        }
    }
}
