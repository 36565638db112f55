using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <summary>ADR 007: a dues row inserted while its member is being moved (a transfer's receipt not yet committed) read the old
    /// organization without waiting, and the move's trigger, which cannot see the uncommitted row, left it there for good. The insert
    /// trigger now reads the member's organization <c>FOR SHARE</c>: it waits for the move to commit and reads the new organization.</summary>
    public partial class DuesMemberOrganizationWaitsForMove : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("CREATE OR REPLACE FUNCTION dues_member_organization() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN SELECT organization_id INTO NEW.member_organization_id FROM members WHERE id = NEW.member_id FOR SHARE; RETURN NEW; END $$;");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("CREATE OR REPLACE FUNCTION dues_member_organization() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN SELECT organization_id INTO NEW.member_organization_id FROM members WHERE id = NEW.member_id; RETURN NEW; END $$;");
    }
}
