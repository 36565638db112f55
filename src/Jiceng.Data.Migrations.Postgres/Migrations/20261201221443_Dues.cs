using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Dues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dues_adjustments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    monthly_amount_fen = table.Column<long>(type: "bigint", nullable: false),
                    from_month = table.Column<DateOnly>(type: "date", nullable: false),
                    to_month = table.Column<DateOnly>(type: "date", nullable: true),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    approved_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    approved_on = table.Column<DateOnly>(type: "date", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dues_adjustments", x => x.id);
                    table.ForeignKey(
                        name: "fk_dues_adjustments_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dues_adjustments_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "dues_bases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    category = table.Column<int>(type: "integer", nullable: false),
                    monthly_base_fen = table.Column<long>(type: "bigint", nullable: true),
                    monthly_amount_fen = table.Column<long>(type: "bigint", nullable: false),
                    rate_basis_points = table.Column<int>(type: "integer", nullable: true),
                    effective_month = table.Column<DateOnly>(type: "date", nullable: false),
                    opening_paid_through = table.Column<DateOnly>(type: "date", nullable: true),
                    rule = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dues_bases", x => x.id);
                    table.ForeignKey(
                        name: "fk_dues_bases_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dues_bases_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "dues_payments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    method = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    from_month = table.Column<DateOnly>(type: "date", nullable: true),
                    month_count = table.Column<int>(type: "integer", nullable: false),
                    dues_fen = table.Column<long>(type: "bigint", nullable: false),
                    voluntary_fen = table.Column<long>(type: "bigint", nullable: false),
                    total_fen = table.Column<long>(type: "bigint", nullable: false),
                    month_amounts_fen = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    provider = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    provider_order_id = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    paid_month = table.Column<DateOnly>(type: "date", nullable: true),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dues_payments", x => x.id);
                    table.ForeignKey(
                        name: "fk_dues_payments_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dues_payments_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    operation = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    response_body = table.Column<string>(type: "text", nullable: true),
                    location = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_records", x => new { x.user_id, x.operation, x.key });
                });

            migrationBuilder.CreateTable(
                name: "dues_payment_months",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    amount_fen = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dues_payment_months", x => x.id);
                    table.ForeignKey(
                        name: "fk_dues_payment_months_dues_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "dues_payments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dues_payment_months_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dues_payment_months_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dues_adjustments_member_id_from_month",
                table: "dues_adjustments",
                columns: new[] { "member_id", "from_month" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_adjustments_organization_id",
                table: "dues_adjustments",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_dues_bases_member_id_effective_month",
                table: "dues_bases",
                columns: new[] { "member_id", "effective_month" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_bases_organization_id",
                table: "dues_bases",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_dues_payment_months_member_id_month",
                table: "dues_payment_months",
                columns: new[] { "member_id", "month" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_dues_payment_months_organization_id",
                table: "dues_payment_months",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_dues_payment_months_payment_id",
                table: "dues_payment_months",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_dues_payments_member_id_created_at",
                table: "dues_payments",
                columns: new[] { "member_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_payments_member_id_paid_month",
                table: "dues_payments",
                columns: new[] { "member_id", "paid_month" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_payments_organization_id",
                table: "dues_payments",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_dues_payments_provider_provider_order_id",
                table: "dues_payments",
                columns: new[] { "provider", "provider_order_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_records_created_at",
                table: "idempotency_records",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dues_adjustments");

            migrationBuilder.DropTable(
                name: "dues_bases");

            migrationBuilder.DropTable(
                name: "dues_payment_months");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "dues_payments");
        }
    }
}
