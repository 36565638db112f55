using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class MemberListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_name",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_members_organization_id_name",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_members_organization_id_name_initials",
                table: "members");

            migrationBuilder.AlterColumn<string>(
                name: "name_initials",
                table: "members",
                type: "character varying(50)",
                maxLength: 50,
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(50)",
                oldMaxLength: 50);

            migrationBuilder.AddColumn<string[]>(
                name: "name_chars",
                table: "members",
                type: "text[]",
                nullable: true,
                computedColumnSql: "regexp_split_to_array(name, '')",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_name_chars",
                table: "members",
                column: "name_chars")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_members_name_initials_name_id",
                table: "members",
                columns: new[] { "name_initials", "name", "id" })
                .Annotation("Npgsql:IndexInclude", new[] { "organization_id" });

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_name_initials_name_id",
                table: "members",
                columns: new[] { "organization_id", "name_initials", "name", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_name_chars",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_members_name_initials_name_id",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_members_organization_id_name_initials_name_id",
                table: "members");

            migrationBuilder.DropColumn(
                name: "name_chars",
                table: "members");

            migrationBuilder.AlterColumn<string>(
                name: "name_initials",
                table: "members",
                type: "character varying(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(50)",
                oldMaxLength: 50,
                oldCollation: "C");

            migrationBuilder.CreateIndex(
                name: "ix_members_name",
                table: "members",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_name",
                table: "members",
                columns: new[] { "organization_id", "name" });

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_name_initials",
                table: "members",
                columns: new[] { "organization_id", "name_initials" });
        }
    }
}
