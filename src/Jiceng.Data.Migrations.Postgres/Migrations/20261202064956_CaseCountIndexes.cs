using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CaseCountIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_case_count_months_month",
                table: "case_count_months",
                column: "month")
                .Annotation("Npgsql:IndexInclude", new[] { "organization_id", "received", "rejected", "responded_in_time", "closed", "resolved", "ever_closed", "reopened", "rated", "satisfied", "close_minutes_total" });

            migrationBuilder.CreateIndex(
                name: "ix_case_count_months_organization_id_month",
                table: "case_count_months",
                columns: new[] { "organization_id", "month" })
                .Annotation("Npgsql:IndexInclude", new[] { "received", "rejected", "responded_in_time", "closed", "resolved", "ever_closed", "reopened", "rated", "satisfied", "close_minutes_total" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_case_count_months_month",
                table: "case_count_months");

            migrationBuilder.DropIndex(
                name: "ix_case_count_months_organization_id_month",
                table: "case_count_months");
        }
    }
}
