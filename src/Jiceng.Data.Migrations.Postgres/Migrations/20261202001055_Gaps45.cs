using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Gaps45 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "refunded_fen",
                table: "dues_payments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "refunded_month_count",
                table: "dues_payments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "revoke_reason",
                table: "dues_adjustments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "revoked_at",
                table: "dues_adjustments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "revoked_by",
                table: "dues_adjustments",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "revoked_from_month",
                table: "dues_adjustments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "approved_by",
                table: "appraisal_follow_ups",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "closed_at",
                table: "appraisal_follow_ups",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "closed_by",
                table: "appraisal_follow_ups",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "decided_by",
                table: "appraisal_follow_ups",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "decided_on",
                table: "appraisal_follow_ups",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "note",
                table: "appraisal_follow_ups",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "outcome_kind",
                table: "appraisal_follow_ups",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "dues_refunds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from_month = table.Column<DateOnly>(type: "date", nullable: false),
                    month_count = table.Column<int>(type: "integer", nullable: false),
                    month_amounts_fen = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    dues_fen = table.Column<long>(type: "bigint", nullable: false),
                    voluntary_fen = table.Column<long>(type: "bigint", nullable: false),
                    total_fen = table.Column<long>(type: "bigint", nullable: false),
                    method = table.Column<int>(type: "integer", nullable: false),
                    refund_no = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    provider = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    provider_refund_id = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    approved_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    refunded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    refunded_month = table.Column<DateOnly>(type: "date", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dues_refunds", x => x.id);
                    table.ForeignKey(
                        name: "fk_dues_refunds_dues_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "dues_payments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dues_refunds_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dues_refunds_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dues_refunds_member_id_refunded_at",
                table: "dues_refunds",
                columns: new[] { "member_id", "refunded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_refunds_organization_id",
                table: "dues_refunds",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_dues_refunds_payment_id",
                table: "dues_refunds",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_dues_refunds_refund_no",
                table: "dues_refunds",
                column: "refund_no",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dues_refunds");

            migrationBuilder.DropColumn(
                name: "refunded_fen",
                table: "dues_payments");

            migrationBuilder.DropColumn(
                name: "refunded_month_count",
                table: "dues_payments");

            migrationBuilder.DropColumn(
                name: "revoke_reason",
                table: "dues_adjustments");

            migrationBuilder.DropColumn(
                name: "revoked_at",
                table: "dues_adjustments");

            migrationBuilder.DropColumn(
                name: "revoked_by",
                table: "dues_adjustments");

            migrationBuilder.DropColumn(
                name: "revoked_from_month",
                table: "dues_adjustments");

            migrationBuilder.DropColumn(
                name: "approved_by",
                table: "appraisal_follow_ups");

            migrationBuilder.DropColumn(
                name: "closed_at",
                table: "appraisal_follow_ups");

            migrationBuilder.DropColumn(
                name: "closed_by",
                table: "appraisal_follow_ups");

            migrationBuilder.DropColumn(
                name: "decided_by",
                table: "appraisal_follow_ups");

            migrationBuilder.DropColumn(
                name: "decided_on",
                table: "appraisal_follow_ups");

            migrationBuilder.DropColumn(
                name: "note",
                table: "appraisal_follow_ups");

            migrationBuilder.DropColumn(
                name: "outcome_kind",
                table: "appraisal_follow_ups");
        }
    }
}
