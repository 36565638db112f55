using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CaseStreetFilters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_StreetId_CategoryId_ReceivedAt",
                table: "Cases",
                columns: new[] { "StreetId", "CategoryId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_StreetId_Status_CategoryId_ReceivedAt",
                table: "Cases",
                columns: new[] { "StreetId", "Status", "CategoryId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_StreetId_CategoryId_ReceivedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_StreetId_Status_CategoryId_ReceivedAt",
                table: "Cases");
        }
    }
}
