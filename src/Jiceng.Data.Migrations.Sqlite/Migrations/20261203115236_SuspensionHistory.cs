using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SuspensionHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MemberSuspensions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LostContactSince = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    SuspendedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: true),
                    DecidedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Review = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberSuspensions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MemberSuspensions_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MemberSuspensions_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MemberSuspensions_MemberId_SuspendedOn",
                table: "MemberSuspensions",
                columns: new[] { "MemberId", "SuspendedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberSuspensions_OrganizationId",
                table: "MemberSuspensions",
                column: "OrganizationId");

            // One history row for each member with a recorded suspension: the open one of a suspended member, or the one closed by
            // the recorded decision (恢复党籍/除名). Its id is the member's: at most one row per member exists before this.
            migrationBuilder.Sql("""
                INSERT INTO "MemberSuspensions" ("Id", "MemberId", "OrganizationId", "SuspendedOn", "Outcome", "DecidedOn", "Review", "CreatedAt", "UpdatedAt")
                SELECT "Id", "Id", "OrganizationId", "SuspendedOn", "SuspensionOutcome", "SuspensionDecidedOn", "SuspensionReview", "UpdatedAt", "UpdatedAt"
                FROM "Members" WHERE "SuspendedOn" IS NOT NULL;
                """);
            // Members.SuspendedOn now means "the open suspension's date".
            migrationBuilder.Sql("UPDATE \"Members\" SET \"SuspendedOn\" = NULL WHERE \"Status\" <> 4 AND \"SuspendedOn\" IS NOT NULL;");

            // ALTER TABLE … DROP COLUMN (SQLite 3.35+) rather than EF's DropColumn, which rebuilds the table on SQLite and with it
            // would drop the trigger members_dues_follow (DuesMemberOrganization, ADR 007) defined on "Members".
            foreach (var column in new[] { "SuspensionDecidedOn", "SuspensionOutcome", "SuspensionReview" })
                migrationBuilder.Sql($"ALTER TABLE \"Members\" DROP COLUMN \"{column}\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.Sql("""
                UPDATE "Members" SET
                    "SuspensionOutcome" = (SELECT s."Outcome" FROM "MemberSuspensions" s WHERE s."MemberId" = "Members"."Id" ORDER BY s."SuspendedOn" DESC, s."CreatedAt" DESC LIMIT 1),
                    "SuspensionDecidedOn" = (SELECT s."DecidedOn" FROM "MemberSuspensions" s WHERE s."MemberId" = "Members"."Id" ORDER BY s."SuspendedOn" DESC, s."CreatedAt" DESC LIMIT 1),
                    "SuspensionReview" = (SELECT s."Review" FROM "MemberSuspensions" s WHERE s."MemberId" = "Members"."Id" ORDER BY s."SuspendedOn" DESC, s."CreatedAt" DESC LIMIT 1),
                    "SuspendedOn" = COALESCE("SuspendedOn", (SELECT s."SuspendedOn" FROM "MemberSuspensions" s WHERE s."MemberId" = "Members"."Id" ORDER BY s."SuspendedOn" DESC, s."CreatedAt" DESC LIMIT 1))
                WHERE EXISTS (SELECT 1 FROM "MemberSuspensions" s WHERE s."MemberId" = "Members"."Id");
                """);

            migrationBuilder.DropTable(
                name: "MemberSuspensions");
        }
    }
}
