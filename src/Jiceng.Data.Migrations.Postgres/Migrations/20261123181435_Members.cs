using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Members : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "member_id",
                table: "AspNetUsers",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "members",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    name_initials = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    gender = table.Column<int>(type: "integer", nullable: false),
                    ethnicity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    birth_date = table.Column<DateOnly>(type: "date", nullable: false),
                    id_number_cipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    id_number_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    id_number_masked = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    phone_cipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    phone_masked = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    phone_tail = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    education = table.Column<int>(type: "integer", nullable: false),
                    occupation = table.Column<int>(type: "integer", nullable: false),
                    work_unit = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    home_address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    residence_community_id = table.Column<Guid>(type: "uuid", nullable: true),
                    state = table.Column<int>(type: "integer", nullable: false),
                    joined_on = table.Column<DateOnly>(type: "date", nullable: false),
                    joined_month_day = table.Column<int>(type: "integer", nullable: false),
                    full_member_on = table.Column<DateOnly>(type: "date", nullable: true),
                    status = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_members_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "point_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    points = table.Column<int>(type: "integer", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_point_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_point_items_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "unit_registrations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    unit_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    contact_person = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    contact_phone_masked = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    contact_phone_cipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    resources_offered = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    registered_on = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_registrations", x => x.id);
                    table.ForeignKey(
                        name: "fk_unit_registrations_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "correction_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    reply = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_correction_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_correction_requests_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_correction_requests_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "dual_registrations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    registered_on = table.Column<DateOnly>(type: "date", nullable: false),
                    service_intent = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ended_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dual_registrations", x => x.id);
                    table.ForeignKey(
                        name: "fk_dual_registrations_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dual_registrations_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mobile_registrations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    since = table.Column<DateOnly>(type: "date", nullable: false),
                    contact_person = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    expected_return = table.Column<DateOnly>(type: "date", nullable: true),
                    last_contact_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ended_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mobile_registrations", x => x.id);
                    table.ForeignKey(
                        name: "fk_mobile_registrations_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_mobile_registrations_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "service_records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    content = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    confirmed_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_service_records_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_service_records_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "transfers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: true),
                    member_name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    from_organization_id = table.Column<Guid>(type: "uuid", nullable: true),
                    to_organization_id = table.Column<Guid>(type: "uuid", nullable: true),
                    external_organization = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    paid_through = table.Column<DateOnly>(type: "date", nullable: true),
                    letter_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    letter_issued_on = table.Column<DateOnly>(type: "date", nullable: true),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: true),
                    rejection_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transfers", x => x.id);
                    table.ForeignKey(
                        name: "fk_transfers_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_transfers_organizations_from_organization_id",
                        column: x => x.from_organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_transfers_organizations_to_organization_id",
                        column: x => x.to_organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "point_records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    point_item_id = table.Column<Guid>(type: "uuid", nullable: false),
                    points = table.Column<int>(type: "integer", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    evidence = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    confirmed_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_point_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_point_records_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_point_records_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_point_records_point_items_point_item_id",
                        column: x => x.point_item_id,
                        principalTable: "point_items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "transfer_steps",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    transfer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    by_user = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transfer_steps", x => x.id);
                    table.ForeignKey(
                        name: "fk_transfer_steps_transfers_transfer_id",
                        column: x => x.transfer_id,
                        principalTable: "transfers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_correction_requests_member_id",
                table: "correction_requests",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_correction_requests_organization_id_status",
                table: "correction_requests",
                columns: new[] { "organization_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_dual_registrations_member_id",
                table: "dual_registrations",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_dual_registrations_organization_id_ended_on",
                table: "dual_registrations",
                columns: new[] { "organization_id", "ended_on" });

            migrationBuilder.CreateIndex(
                name: "ix_members_id_number_hash",
                table: "members",
                column: "id_number_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_name",
                table: "members",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_joined_month_day",
                table: "members",
                columns: new[] { "organization_id", "joined_month_day" });

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_name",
                table: "members",
                columns: new[] { "organization_id", "name" });

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id_name_initials",
                table: "members",
                columns: new[] { "organization_id", "name_initials" });

            migrationBuilder.CreateIndex(
                name: "ix_members_phone_hash",
                table: "members",
                column: "phone_hash");

            migrationBuilder.CreateIndex(
                name: "ix_members_phone_tail",
                table: "members",
                column: "phone_tail");

            migrationBuilder.CreateIndex(
                name: "ix_mobile_registrations_member_id_ended_on",
                table: "mobile_registrations",
                columns: new[] { "member_id", "ended_on" });

            migrationBuilder.CreateIndex(
                name: "ix_mobile_registrations_organization_id_ended_on",
                table: "mobile_registrations",
                columns: new[] { "organization_id", "ended_on" });

            migrationBuilder.CreateIndex(
                name: "ix_point_items_organization_id",
                table: "point_items",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_point_records_member_id_date",
                table: "point_records",
                columns: new[] { "member_id", "date" });

            migrationBuilder.CreateIndex(
                name: "ix_point_records_organization_id_date",
                table: "point_records",
                columns: new[] { "organization_id", "date" });

            migrationBuilder.CreateIndex(
                name: "ix_point_records_point_item_id",
                table: "point_records",
                column: "point_item_id");

            migrationBuilder.CreateIndex(
                name: "ix_service_records_member_id",
                table: "service_records",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_service_records_organization_id_date",
                table: "service_records",
                columns: new[] { "organization_id", "date" });

            migrationBuilder.CreateIndex(
                name: "ix_transfer_steps_transfer_id_at",
                table: "transfer_steps",
                columns: new[] { "transfer_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_transfers_from_organization_id_status",
                table: "transfers",
                columns: new[] { "from_organization_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_transfers_member_id",
                table: "transfers",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_transfers_status_valid_until",
                table: "transfers",
                columns: new[] { "status", "valid_until" });

            migrationBuilder.CreateIndex(
                name: "ix_transfers_to_organization_id_status",
                table: "transfers",
                columns: new[] { "to_organization_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_unit_registrations_organization_id",
                table: "unit_registrations",
                column: "organization_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "correction_requests");

            migrationBuilder.DropTable(
                name: "dual_registrations");

            migrationBuilder.DropTable(
                name: "mobile_registrations");

            migrationBuilder.DropTable(
                name: "point_records");

            migrationBuilder.DropTable(
                name: "service_records");

            migrationBuilder.DropTable(
                name: "transfer_steps");

            migrationBuilder.DropTable(
                name: "unit_registrations");

            migrationBuilder.DropTable(
                name: "point_items");

            migrationBuilder.DropTable(
                name: "transfers");

            migrationBuilder.DropTable(
                name: "members");

            migrationBuilder.DropColumn(
                name: "member_id",
                table: "AspNetUsers");
        }
    }
}
