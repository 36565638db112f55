using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CaseCountIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_case_count_months_org_month_covering",
                table: "CaseCountMonths",
                columns: new[] { "OrganizationId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseCountMonths_Month",
                table: "CaseCountMonths",
                column: "Month");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_case_count_months_org_month_covering",
                table: "CaseCountMonths");

            migrationBuilder.DropIndex(
                name: "IX_CaseCountMonths_Month",
                table: "CaseCountMonths");
        }
    }
}
