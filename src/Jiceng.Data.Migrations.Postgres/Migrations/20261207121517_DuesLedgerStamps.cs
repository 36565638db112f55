using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DuesLedgerStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dues_ledger_stamps",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dues_ledger_stamps", x => x.organization_id);
                });

            // ADR 009: the database stamps an organization whenever a row its members' dues ledgers count changes, in the writing
            // transaction, whatever path wrote it. Statement triggers with transition tables: one upsert per organization per
            // statement (a 100,000-row COPY too), in the organizations' order so that two writers take the rows' locks alike.
            // Members count by their organization, name, status and joining date only (an edited phone number changes no ledger).
            migrationBuilder.Sql(@"CREATE FUNCTION dues_ledger_stamp_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dues_ledger_stamps AS s (organization_id, version)
      SELECT organization_id, 1 FROM new_rows GROUP BY organization_id ORDER BY organization_id
      ON CONFLICT (organization_id) DO UPDATE SET version = s.version + 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO dues_ledger_stamps AS s (organization_id, version)
      SELECT organization_id, 1 FROM old_rows GROUP BY organization_id ORDER BY organization_id
      ON CONFLICT (organization_id) DO UPDATE SET version = s.version + 1;
  ELSE
    INSERT INTO dues_ledger_stamps AS s (organization_id, version)
      SELECT c.organization_id, 1 FROM (
        SELECT unnest(ARRAY[o.organization_id, n.organization_id]) AS organization_id
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.organization_id, o.name, o.status, o.joined_on) IS DISTINCT FROM (n.organization_id, n.name, n.status, n.joined_on)) c
      GROUP BY c.organization_id ORDER BY c.organization_id
      ON CONFLICT (organization_id) DO UPDATE SET version = s.version + 1;
  END IF;
  RETURN NULL;
END $$;");
            migrationBuilder.Sql(@"CREATE FUNCTION dues_ledger_stamp_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dues_ledger_stamps AS s (organization_id, version)
      SELECT member_organization_id, 1 FROM new_rows GROUP BY member_organization_id ORDER BY member_organization_id
      ON CONFLICT (organization_id) DO UPDATE SET version = s.version + 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO dues_ledger_stamps AS s (organization_id, version)
      SELECT member_organization_id, 1 FROM old_rows GROUP BY member_organization_id ORDER BY member_organization_id
      ON CONFLICT (organization_id) DO UPDATE SET version = s.version + 1;
  ELSE
    INSERT INTO dues_ledger_stamps AS s (organization_id, version)
      SELECT c.organization_id, 1 FROM (SELECT member_organization_id AS organization_id FROM old_rows
                                        UNION SELECT member_organization_id FROM new_rows) c
      GROUP BY c.organization_id ORDER BY c.organization_id
      ON CONFLICT (organization_id) DO UPDATE SET version = s.version + 1;
  END IF;
  RETURN NULL;
END $$;");
            foreach (var (table, function) in Stamped)
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_dues_ledger_stamp_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_dues_ledger_stamp_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_dues_ledger_stamp_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();");
            }
        }

        private static readonly (string Table, string Function)[] Stamped =
        [
            ("members", "dues_ledger_stamp_members"),
            ("dues_bases", "dues_ledger_stamp_rows"),
            ("dues_adjustments", "dues_ledger_stamp_rows"),
            ("dues_payments", "dues_ledger_stamp_rows"),
            ("dues_payment_months", "dues_ledger_stamp_rows"),
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Stamped)
                foreach (var op in new[] { "insert", "update", "delete" })
                    migrationBuilder.Sql($"DROP TRIGGER {table}_dues_ledger_stamp_{op} ON {table};");
            migrationBuilder.Sql("DROP FUNCTION dues_ledger_stamp_members();");
            migrationBuilder.Sql("DROP FUNCTION dues_ledger_stamp_rows();");
            migrationBuilder.DropTable(
                name: "dues_ledger_stamps");
        }
    }
}
