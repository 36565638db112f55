using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <summary>ADR 009: a long transaction (the member import) may take its organizations' stamps at its end, in one sorted
    /// statement (<c>DeferredDuesStamps</c>), instead of holding each stamp row from its first batch to its commit, which made
    /// every payment in the city wait behind an import. While <c>jiceng.dues_stamps</c> is <c>deferred</c> (set local to the
    /// transaction) the stamp triggers do nothing.</summary>
    public partial class DuesLedgerStampsDeferred : Migration
    {
        private const string Deferred = "  IF current_setting('jiceng.dues_stamps', true) = 'deferred' THEN RETURN NULL; END IF;\n";

        private static string Members(bool deferrable) => @"CREATE OR REPLACE FUNCTION dues_ledger_stamp_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
" + (deferrable ? Deferred : "") + @"  IF TG_OP = 'INSERT' THEN
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
END $$;";

        private static string Rows(bool deferrable) => @"CREATE OR REPLACE FUNCTION dues_ledger_stamp_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
" + (deferrable ? Deferred : "") + @"  IF TG_OP = 'INSERT' THEN
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
END $$;";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Members(deferrable: true));
            migrationBuilder.Sql(Rows(deferrable: true));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Members(deferrable: false));
            migrationBuilder.Sql(Rows(deferrable: false));
        }
    }
}
