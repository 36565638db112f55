using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SuspensionHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "member_suspensions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lost_contact_since = table.Column<DateOnly>(type: "date", nullable: true),
                    suspended_on = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    outcome = table.Column<int>(type: "integer", nullable: true),
                    decided_on = table.Column<DateOnly>(type: "date", nullable: true),
                    review = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    decided_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_member_suspensions", x => x.id);
                    table.ForeignKey(
                        name: "fk_member_suspensions_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_member_suspensions_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_member_suspensions_member_id_suspended_on",
                table: "member_suspensions",
                columns: new[] { "member_id", "suspended_on" });

            migrationBuilder.CreateIndex(
                name: "ix_member_suspensions_organization_id",
                table: "member_suspensions",
                column: "organization_id");

            // One history row for each member with a recorded suspension: the open one of a suspended member, or the one closed by
            // the recorded decision (恢复党籍/除名). Its id is the member's: at most one row per member exists before this.
            migrationBuilder.Sql("""
                INSERT INTO member_suspensions (id, member_id, organization_id, suspended_on, outcome, decided_on, review, created_at, updated_at)
                SELECT id, id, organization_id, suspended_on, suspension_outcome, suspension_decided_on, suspension_review, updated_at, updated_at
                FROM members WHERE suspended_on IS NOT NULL;
                """);
            // members.suspended_on now means "the open suspension's date".
            migrationBuilder.Sql("UPDATE members SET suspended_on = NULL WHERE status <> 4 AND suspended_on IS NOT NULL;");

            migrationBuilder.DropColumn(
                name: "suspension_decided_on",
                table: "members");

            migrationBuilder.DropColumn(
                name: "suspension_outcome",
                table: "members");

            migrationBuilder.DropColumn(
                name: "suspension_review",
                table: "members");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.Sql("""
                UPDATE members m SET suspension_outcome = s.outcome, suspension_decided_on = s.decided_on, suspension_review = s.review,
                    suspended_on = COALESCE(m.suspended_on, s.suspended_on)
                FROM (SELECT DISTINCT ON (member_id) member_id, suspended_on, outcome, decided_on, review FROM member_suspensions
                      ORDER BY member_id, suspended_on DESC, created_at DESC) s
                WHERE s.member_id = m.id;
                """);

            migrationBuilder.DropTable(
                name: "member_suspensions");
        }
    }
}
