using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DuesMemberOrganization : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MemberOrganizationId",
                table: "DuesPayments",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "MemberOrganizationId",
                table: "DuesPaymentMonths",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "MemberOrganizationId",
                table: "DuesBases",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "MemberOrganizationId",
                table: "DuesAdjustments",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // ADR 007: each dues row carries its member's current organization, kept by the database: filled now, set on insert,
            // and moved with the member by a trigger on members (every path that moves a member, bulk ones included).
            migrationBuilder.Sql("UPDATE \"DuesBases\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = \"DuesBases\".\"MemberId\");");
            migrationBuilder.Sql("UPDATE \"DuesAdjustments\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = \"DuesAdjustments\".\"MemberId\");");
            migrationBuilder.Sql("UPDATE \"DuesPayments\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = \"DuesPayments\".\"MemberId\");");
            migrationBuilder.Sql("UPDATE \"DuesPaymentMonths\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = \"DuesPaymentMonths\".\"MemberId\");");
            migrationBuilder.Sql("CREATE TRIGGER DuesBases_member_organization AFTER INSERT ON \"DuesBases\" BEGIN UPDATE \"DuesBases\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = NEW.\"MemberId\") WHERE \"Id\" = NEW.\"Id\"; END;");
            migrationBuilder.Sql("CREATE TRIGGER DuesAdjustments_member_organization AFTER INSERT ON \"DuesAdjustments\" BEGIN UPDATE \"DuesAdjustments\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = NEW.\"MemberId\") WHERE \"Id\" = NEW.\"Id\"; END;");
            migrationBuilder.Sql("CREATE TRIGGER DuesPayments_member_organization AFTER INSERT ON \"DuesPayments\" BEGIN UPDATE \"DuesPayments\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = NEW.\"MemberId\") WHERE \"Id\" = NEW.\"Id\"; END;");
            migrationBuilder.Sql("CREATE TRIGGER DuesPaymentMonths_member_organization AFTER INSERT ON \"DuesPaymentMonths\" BEGIN UPDATE \"DuesPaymentMonths\" SET \"MemberOrganizationId\" = (SELECT \"OrganizationId\" FROM \"Members\" WHERE \"Id\" = NEW.\"MemberId\") WHERE \"Id\" = NEW.\"Id\"; END;");
            migrationBuilder.Sql("CREATE TRIGGER members_dues_follow AFTER UPDATE OF \"OrganizationId\" ON \"Members\" WHEN OLD.\"OrganizationId\" IS NOT NEW.\"OrganizationId\" BEGIN UPDATE \"DuesBases\" SET \"MemberOrganizationId\" = NEW.\"OrganizationId\" WHERE \"MemberId\" = NEW.\"Id\"; UPDATE \"DuesAdjustments\" SET \"MemberOrganizationId\" = NEW.\"OrganizationId\" WHERE \"MemberId\" = NEW.\"Id\"; UPDATE \"DuesPayments\" SET \"MemberOrganizationId\" = NEW.\"OrganizationId\" WHERE \"MemberId\" = NEW.\"Id\"; UPDATE \"DuesPaymentMonths\" SET \"MemberOrganizationId\" = NEW.\"OrganizationId\" WHERE \"MemberId\" = NEW.\"Id\"; END;");
            migrationBuilder.CreateIndex(
                name: "ix_dues_payments_voluntary",
                table: "DuesPayments",
                columns: new[] { "MemberOrganizationId", "PaidMonth" },
                filter: "\"VoluntaryFen\" > 0");

            migrationBuilder.CreateIndex(
                name: "IX_DuesPaymentMonths_MemberOrganizationId_Month",
                table: "DuesPaymentMonths",
                columns: new[] { "MemberOrganizationId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_DuesBases_MemberOrganizationId",
                table: "DuesBases",
                column: "MemberOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesAdjustments_MemberOrganizationId",
                table: "DuesAdjustments",
                column: "MemberOrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER members_dues_follow;");
            migrationBuilder.Sql("DROP TRIGGER DuesBases_member_organization;");
            migrationBuilder.Sql("DROP TRIGGER DuesAdjustments_member_organization;");
            migrationBuilder.Sql("DROP TRIGGER DuesPayments_member_organization;");
            migrationBuilder.Sql("DROP TRIGGER DuesPaymentMonths_member_organization;");
            migrationBuilder.DropIndex(
                name: "ix_dues_payments_voluntary",
                table: "DuesPayments");

            migrationBuilder.DropIndex(
                name: "IX_DuesPaymentMonths_MemberOrganizationId_Month",
                table: "DuesPaymentMonths");

            migrationBuilder.DropIndex(
                name: "IX_DuesBases_MemberOrganizationId",
                table: "DuesBases");

            migrationBuilder.DropIndex(
                name: "IX_DuesAdjustments_MemberOrganizationId",
                table: "DuesAdjustments");

            migrationBuilder.DropColumn(
                name: "MemberOrganizationId",
                table: "DuesPayments");

            migrationBuilder.DropColumn(
                name: "MemberOrganizationId",
                table: "DuesPaymentMonths");

            migrationBuilder.DropColumn(
                name: "MemberOrganizationId",
                table: "DuesBases");

            migrationBuilder.DropColumn(
                name: "MemberOrganizationId",
                table: "DuesAdjustments");
        }
    }
}
