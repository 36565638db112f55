using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SuspensionOpenUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_member_suspensions_open",
                table: "MemberSuspensions",
                column: "MemberId",
                unique: true,
                filter: "\"Outcome\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_member_suspensions_open",
                table: "MemberSuspensions");
        }
    }
}
