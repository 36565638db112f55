using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RollChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_dues_bases_member_organization_id",
                table: "dues_bases");

            migrationBuilder.AddColumn<DateOnly>(
                name: "suspended_on",
                table: "members",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "suspension_decided_on",
                table: "members",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "suspension_outcome",
                table: "members",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "suspension_review",
                table: "members",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ended",
                table: "dues_bases",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_members_status_suspended_on",
                table: "members",
                columns: new[] { "status", "suspended_on" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_bases_member_organization_id",
                table: "dues_bases",
                column: "member_organization_id")
                .Annotation("Npgsql:IndexInclude", new[] { "member_id", "effective_month", "monthly_amount_fen", "created_at", "opening_paid_through", "ended" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_status_suspended_on",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_dues_bases_member_organization_id",
                table: "dues_bases");

            migrationBuilder.DropColumn(
                name: "suspended_on",
                table: "members");

            migrationBuilder.DropColumn(
                name: "suspension_decided_on",
                table: "members");

            migrationBuilder.DropColumn(
                name: "suspension_outcome",
                table: "members");

            migrationBuilder.DropColumn(
                name: "suspension_review",
                table: "members");

            migrationBuilder.DropColumn(
                name: "ended",
                table: "dues_bases");

            migrationBuilder.CreateIndex(
                name: "ix_dues_bases_member_organization_id",
                table: "dues_bases",
                column: "member_organization_id")
                .Annotation("Npgsql:IndexInclude", new[] { "member_id", "effective_month", "monthly_amount_fen", "created_at", "opening_paid_through" });
        }
    }
}
