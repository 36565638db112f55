using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OrganizationTreeIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_organizations_parent_id_sort_order",
                table: "organizations");

            migrationBuilder.CreateIndex(
                name: "ix_organizations_depth_path",
                table: "organizations",
                columns: new[] { "depth", "path" })
                .Annotation("Npgsql:IndexInclude", new[] { "id", "name", "kind", "parent_id", "status", "sort_order" });

            migrationBuilder.CreateIndex(
                name: "ix_organizations_parent_id_sort_order",
                table: "organizations",
                columns: new[] { "parent_id", "sort_order" })
                .Annotation("Npgsql:IndexInclude", new[] { "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_organizations_depth_path",
                table: "organizations");

            migrationBuilder.DropIndex(
                name: "ix_organizations_parent_id_sort_order",
                table: "organizations");

            migrationBuilder.CreateIndex(
                name: "ix_organizations_parent_id_sort_order",
                table: "organizations",
                columns: new[] { "parent_id", "sort_order" });
        }
    }
}
