using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CaseStreetFilters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_cases_street_id_category_id_received_at",
                table: "Cases",
                columns: new[] { "street_id", "category_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_street_id_status_category_id_received_at",
                table: "Cases",
                columns: new[] { "street_id", "status", "category_id", "received_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_street_id_category_id_received_at",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_street_id_status_category_id_received_at",
                table: "Cases");
        }
    }
}
