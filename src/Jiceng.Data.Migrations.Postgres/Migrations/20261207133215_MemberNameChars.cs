using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <summary>The name-character table of the member search (<c>MemberNameChar</c>): filled from the members, then kept by a
    /// statement trigger on <c>members</c> (insert, delete, and an update of the name, initials or organization).</summary>
    public partial class MemberNameChars : Migration
    {
        /// <summary>Every member's distinct name characters (the members already there; the trigger keeps the rest).</summary>
        private const string FillSql = """
            INSERT INTO member_name_chars (member_id, character, name_initials, name, organization_id)
            SELECT DISTINCT m.id, c, m.name_initials, m.name, m.organization_id FROM members m, unnest(m.name_chars) AS c
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "member_name_chars",
                columns: table => new
                {
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    character = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    name_initials = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false, collation: "C"),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_member_name_chars", x => new { x.member_id, x.character });
                });

            // No member written between the fill and the triggers (another app copy during a rolling deploy): reads go on.
            migrationBuilder.Sql("LOCK TABLE members IN SHARE ROW EXCLUSIVE MODE;");
            migrationBuilder.Sql(FillSql);

            migrationBuilder.CreateIndex(
                name: "ix_member_name_chars_character_name_initials_name_member_id",
                table: "member_name_chars",
                columns: new[] { "character", "name_initials", "name", "member_id" })
                .Annotation("Npgsql:IndexInclude", new[] { "organization_id" });

            // Transition tables need one trigger per event; the old and new rows are joined by id for an update.
            migrationBuilder.Sql("""
                CREATE FUNCTION member_name_chars_sync() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO member_name_chars (member_id, character, name_initials, name, organization_id)
                      SELECT DISTINCT n.id, c, n.name_initials, n.name, n.organization_id FROM new_rows n, unnest(n.name_chars) AS c;
                  ELSIF TG_OP = 'DELETE' THEN
                    DELETE FROM member_name_chars x USING old_rows o WHERE x.member_id = o.id;
                  ELSE
                    DELETE FROM member_name_chars x USING old_rows o JOIN new_rows n ON n.id = o.id
                      WHERE x.member_id = o.id AND (o.name, o.name_initials, o.organization_id) IS DISTINCT FROM (n.name, n.name_initials, n.organization_id);
                    INSERT INTO member_name_chars (member_id, character, name_initials, name, organization_id)
                      SELECT DISTINCT n.id, c, n.name_initials, n.name, n.organization_id
                      FROM old_rows o JOIN new_rows n ON n.id = o.id, unnest(n.name_chars) AS c
                      WHERE (o.name, o.name_initials, o.organization_id) IS DISTINCT FROM (n.name, n.name_initials, n.organization_id);
                  END IF;
                  RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER members_name_chars_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_name_chars_sync();");
            migrationBuilder.Sql("CREATE TRIGGER members_name_chars_update AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_name_chars_sync();");
            migrationBuilder.Sql("CREATE TRIGGER members_name_chars_delete AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_name_chars_sync();");
            migrationBuilder.Sql("CREATE FUNCTION member_name_chars_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN TRUNCATE member_name_chars; RETURN NULL; END $$;");
            migrationBuilder.Sql("CREATE TRIGGER members_name_chars_truncate AFTER TRUNCATE ON members FOR EACH STATEMENT EXECUTE FUNCTION member_name_chars_truncate();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var op in new[] { "insert", "update", "delete", "truncate" })
                migrationBuilder.Sql($"DROP TRIGGER members_name_chars_{op} ON members;");
            migrationBuilder.Sql("DROP FUNCTION member_name_chars_sync();");
            migrationBuilder.Sql("DROP FUNCTION member_name_chars_truncate();");
            migrationBuilder.DropTable(
                name: "member_name_chars");
        }
    }
}
