using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class MembersLedgerIndexId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_organization_id_joined_month_day",
                table: "members");

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_joined_month_day",
                table: "members",
                columns: new[] { "organization_id", "joined_month_day" })
                .Annotation("Npgsql:IndexInclude", new[] { "name", "joined_on", "status", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_organization_id_joined_month_day",
                table: "members");

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_joined_month_day",
                table: "members",
                columns: new[] { "organization_id", "joined_month_day" })
                .Annotation("Npgsql:IndexInclude", new[] { "name", "joined_on", "status" });
        }
    }
}
