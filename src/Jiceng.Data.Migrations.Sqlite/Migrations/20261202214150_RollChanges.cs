using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RollChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "SuspendedOn",
                table: "Members",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "SuspensionDecidedOn",
                table: "Members",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SuspensionOutcome",
                table: "Members",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SuspensionReview",
                table: "Members",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Ended",
                table: "DuesBases",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Members_Status_SuspendedOn",
                table: "Members",
                columns: new[] { "Status", "SuspendedOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Members_Status_SuspendedOn",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "SuspendedOn",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "SuspensionDecidedOn",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "SuspensionOutcome",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "SuspensionReview",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "Ended",
                table: "DuesBases");
        }
    }
}
