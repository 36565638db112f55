using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MemberListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Members_Name",
                table: "Members");

            migrationBuilder.DropIndex(
                name: "IX_Members_OrganizationId_Name",
                table: "Members");

            migrationBuilder.DropIndex(
                name: "IX_Members_OrganizationId_NameInitials",
                table: "Members");

            migrationBuilder.CreateIndex(
                name: "IX_Members_NameInitials_Name_Id",
                table: "Members",
                columns: new[] { "NameInitials", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Members_OrganizationId_NameInitials_Name_Id",
                table: "Members",
                columns: new[] { "OrganizationId", "NameInitials", "Name", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Members_NameInitials_Name_Id",
                table: "Members");

            migrationBuilder.DropIndex(
                name: "IX_Members_OrganizationId_NameInitials_Name_Id",
                table: "Members");

            migrationBuilder.CreateIndex(
                name: "IX_Members_Name",
                table: "Members",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Members_OrganizationId_Name",
                table: "Members",
                columns: new[] { "OrganizationId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Members_OrganizationId_NameInitials",
                table: "Members",
                columns: new[] { "OrganizationId", "NameInitials" });
        }
    }
}
