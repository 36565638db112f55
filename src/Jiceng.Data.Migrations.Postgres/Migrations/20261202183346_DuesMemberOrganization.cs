using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DuesMemberOrganization : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "member_organization_id",
                table: "dues_payments",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "member_organization_id",
                table: "dues_payment_months",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "member_organization_id",
                table: "dues_bases",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "member_organization_id",
                table: "dues_adjustments",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // ADR 007: each dues row carries its member's current organization, kept by the database: filled now, set on insert,
            // and moved with the member by a trigger on members (every path that moves a member, bulk ones included).
            migrationBuilder.Sql("UPDATE dues_bases d SET member_organization_id = m.organization_id FROM members m WHERE m.id = d.member_id;");
            migrationBuilder.Sql("UPDATE dues_adjustments d SET member_organization_id = m.organization_id FROM members m WHERE m.id = d.member_id;");
            migrationBuilder.Sql("UPDATE dues_payments d SET member_organization_id = m.organization_id FROM members m WHERE m.id = d.member_id;");
            migrationBuilder.Sql("UPDATE dues_payment_months d SET member_organization_id = m.organization_id FROM members m WHERE m.id = d.member_id;");
            migrationBuilder.Sql("CREATE FUNCTION dues_member_organization() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN SELECT organization_id INTO NEW.member_organization_id FROM members WHERE id = NEW.member_id; RETURN NEW; END $$;");
            migrationBuilder.Sql("CREATE TRIGGER dues_bases_member_organization BEFORE INSERT OR UPDATE OF member_id ON dues_bases FOR EACH ROW EXECUTE FUNCTION dues_member_organization();");
            migrationBuilder.Sql("CREATE TRIGGER dues_adjustments_member_organization BEFORE INSERT OR UPDATE OF member_id ON dues_adjustments FOR EACH ROW EXECUTE FUNCTION dues_member_organization();");
            migrationBuilder.Sql("CREATE TRIGGER dues_payments_member_organization BEFORE INSERT OR UPDATE OF member_id ON dues_payments FOR EACH ROW EXECUTE FUNCTION dues_member_organization();");
            migrationBuilder.Sql("CREATE TRIGGER dues_payment_months_member_organization BEFORE INSERT OR UPDATE OF member_id ON dues_payment_months FOR EACH ROW EXECUTE FUNCTION dues_member_organization();");
            migrationBuilder.Sql("CREATE FUNCTION members_dues_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE dues_bases SET member_organization_id = NEW.organization_id WHERE member_id = NEW.id; UPDATE dues_adjustments SET member_organization_id = NEW.organization_id WHERE member_id = NEW.id; UPDATE dues_payments SET member_organization_id = NEW.organization_id WHERE member_id = NEW.id; UPDATE dues_payment_months SET member_organization_id = NEW.organization_id WHERE member_id = NEW.id; RETURN NULL; END $$;");
            migrationBuilder.Sql("CREATE TRIGGER members_dues_follow AFTER UPDATE OF organization_id ON members FOR EACH ROW WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id) EXECUTE FUNCTION members_dues_follow();");
            migrationBuilder.CreateIndex(
                name: "ix_dues_payments_member_organization_id_paid_month",
                table: "dues_payments",
                columns: new[] { "member_organization_id", "paid_month" },
                filter: "voluntary_fen > 0")
                .Annotation("Npgsql:IndexInclude", new[] { "member_id", "voluntary_fen", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_payment_months_member_organization_id_month",
                table: "dues_payment_months",
                columns: new[] { "member_organization_id", "month" })
                .Annotation("Npgsql:IndexInclude", new[] { "member_id", "amount_fen" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_bases_member_organization_id",
                table: "dues_bases",
                column: "member_organization_id")
                .Annotation("Npgsql:IndexInclude", new[] { "member_id", "effective_month", "monthly_amount_fen", "created_at", "opening_paid_through" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_adjustments_member_organization_id",
                table: "dues_adjustments",
                column: "member_organization_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER members_dues_follow ON members;");
            migrationBuilder.Sql("DROP FUNCTION members_dues_follow();");
            migrationBuilder.Sql("DROP TRIGGER dues_bases_member_organization ON dues_bases;");
            migrationBuilder.Sql("DROP TRIGGER dues_adjustments_member_organization ON dues_adjustments;");
            migrationBuilder.Sql("DROP TRIGGER dues_payments_member_organization ON dues_payments;");
            migrationBuilder.Sql("DROP TRIGGER dues_payment_months_member_organization ON dues_payment_months;");
            migrationBuilder.Sql("DROP FUNCTION dues_member_organization();");
            migrationBuilder.DropIndex(
                name: "ix_dues_payments_member_organization_id_paid_month",
                table: "dues_payments");

            migrationBuilder.DropIndex(
                name: "ix_dues_payment_months_member_organization_id_month",
                table: "dues_payment_months");

            migrationBuilder.DropIndex(
                name: "ix_dues_bases_member_organization_id",
                table: "dues_bases");

            migrationBuilder.DropIndex(
                name: "ix_dues_adjustments_member_organization_id",
                table: "dues_adjustments");

            migrationBuilder.DropColumn(
                name: "member_organization_id",
                table: "dues_payments");

            migrationBuilder.DropColumn(
                name: "member_organization_id",
                table: "dues_payment_months");

            migrationBuilder.DropColumn(
                name: "member_organization_id",
                table: "dues_bases");

            migrationBuilder.DropColumn(
                name: "member_organization_id",
                table: "dues_adjustments");
        }
    }
}
