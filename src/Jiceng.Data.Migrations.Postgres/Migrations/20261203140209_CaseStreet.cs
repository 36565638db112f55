using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CaseStreet : Migration
    {
        /// <summary>Every case's street from the tree: the organization's one ancestor-or-self of kind 2 (街道党工委). Public for
        /// the test that runs it again over cases whose street was cleared (CaseApiTests).</summary>
        public const string BackfillSql = """
            UPDATE "Cases" AS c SET street_id = x.street_id
            FROM (SELECT o.id AS organization_id, s.id AS street_id FROM organizations AS o
                  JOIN organizations AS s ON s.kind = 2 AND o.path LIKE s.path || '%') AS x
            WHERE x.organization_id = c.organization_id;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "street_id",
                table: "Cases",
                type: "uuid",
                nullable: true);

            // Before the index, so that the update does not maintain it row by row.
            migrationBuilder.Sql(BackfillSql);

            migrationBuilder.CreateIndex(
                name: "ix_cases_street_id_received_at",
                table: "Cases",
                columns: new[] { "street_id", "received_at" });

            migrationBuilder.AddForeignKey(
                name: "fk_cases_organizations_street_id",
                table: "Cases",
                column: "street_id",
                principalTable: "organizations",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_cases_organizations_street_id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_street_id_received_at",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "street_id",
                table: "Cases");
        }
    }
}
