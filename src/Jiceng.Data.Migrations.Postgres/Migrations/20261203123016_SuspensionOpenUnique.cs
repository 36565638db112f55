using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SuspensionOpenUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_member_suspensions_member_id",
                table: "member_suspensions",
                column: "member_id",
                unique: true,
                filter: "outcome IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_member_suspensions_member_id",
                table: "member_suspensions");
        }
    }
}
