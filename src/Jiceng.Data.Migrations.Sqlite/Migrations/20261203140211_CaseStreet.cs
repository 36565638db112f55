using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CaseStreet : Migration
    {
        /// <summary>
        /// Every case's street from the tree: the organization's one ancestor-or-self of kind 2 (街道党工委), first per
        /// organization (a few thousand rows), then per case through that small table. Public for the test that runs it
        /// again over cases whose street was cleared (CaseApiTests).
        /// </summary>
        public const string BackfillSql = """
            CREATE TEMP TABLE "CaseStreetOf" ("OrganizationId" TEXT NOT NULL PRIMARY KEY, "StreetId" TEXT NOT NULL);
            INSERT INTO "CaseStreetOf" SELECT o."Id", s."Id" FROM "Organizations" AS o
              JOIN "Organizations" AS s ON s."Kind" = 2 AND substr(o."Path", 1, length(s."Path")) = s."Path";
            UPDATE "Cases" SET "StreetId" = x."StreetId" FROM "CaseStreetOf" AS x WHERE x."OrganizationId" = "Cases"."OrganizationId";
            DROP TABLE "CaseStreetOf";
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ALTER TABLE … ADD COLUMN … REFERENCES rather than EF's AddForeignKey, which rebuilds the table on SQLite: a copy of
            // every case, and the loss of any trigger defined on "Cases". A nullable column with a reference is one ALTER.
            migrationBuilder.Sql("ALTER TABLE \"Cases\" ADD COLUMN \"StreetId\" TEXT NULL REFERENCES \"Organizations\" (\"Id\") ON DELETE RESTRICT;");

            migrationBuilder.Sql(BackfillSql);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_StreetId_ReceivedAt",
                table: "Cases",
                columns: new[] { "StreetId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Cases_Organizations_StreetId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_StreetId_ReceivedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "StreetId",
                table: "Cases");
        }
    }
}
