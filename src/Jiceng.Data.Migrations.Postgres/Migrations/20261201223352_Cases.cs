using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Cases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_categories",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    response_hours = table.Column<int>(type: "integer", nullable: false),
                    resolution_days = table.Column<int>(type: "integer", nullable: false),
                    sort_order = table.Column<int>(type: "integer", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_categories", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "departments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_departments", x => x.id);
                    table.ForeignKey(
                        name: "fk_departments_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "grids",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    community_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    boundary = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_grids", x => x.id);
                    table.ForeignKey(
                        name: "fk_grids_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DepartmentHandlers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    department_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_department_handlers", x => x.id);
                    table.ForeignKey(
                        name: "fk_department_handlers_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "buildings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    grid_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    party_group_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_buildings", x => x.id);
                    table.ForeignKey(
                        name: "fk_buildings_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_buildings_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Cases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    handling_organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    grid_id = table.Column<Guid>(type: "uuid", nullable: true),
                    household_id = table.Column<Guid>(type: "uuid", nullable: true),
                    category_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reporter_name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    phone_cipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    phone_masked = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    tracking_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    response_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolution_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    responded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    result = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    reopen_count = table.Column<int>(type: "integer", nullable: false),
                    close_minutes = table.Column<int>(type: "integer", nullable: true),
                    escalated_for_response = table.Column<bool>(type: "boolean", nullable: false),
                    escalated_for_resolution = table.Column<bool>(type: "boolean", nullable: false),
                    rating = table.Column<int>(type: "integer", nullable: true),
                    has_photo = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cases", x => x.id);
                    table.ForeignKey(
                        name: "fk_cases_case_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "case_categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_organizations_handling_organization_id",
                        column: x => x.handling_organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "grid_staff",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    grid_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    phone_cipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    phone_masked = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_grid_staff", x => x.id);
                    table.ForeignKey(
                        name: "fk_grid_staff_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_grid_staff_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_dispatches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    department_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    whistled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    accept_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    report_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    report = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_dispatches", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_dispatches_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "Cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_case_dispatches_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<int>(type: "integer", nullable: false),
                    status_after = table.Column<int>(type: "integer", nullable: false),
                    actor = table.Column<int>(type: "integer", nullable: false),
                    actor_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    department_id = table.Column<Guid>(type: "uuid", nullable: true),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: true),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_events_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "Cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_photos",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_photos", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_photos_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "Cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "households",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    grid_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    building_id = table.Column<Guid>(type: "uuid", nullable: true),
                    address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    tags = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    responsible_worker_id = table.Column<Guid>(type: "uuid", nullable: true),
                    household_lead_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_households", x => x.id);
                    table.ForeignKey(
                        name: "fk_households_buildings_building_id",
                        column: x => x.building_id,
                        principalTable: "buildings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_households_grid_staff_household_lead_id",
                        column: x => x.household_lead_id,
                        principalTable: "grid_staff",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_households_grid_staff_responsible_worker_id",
                        column: x => x.responsible_worker_id,
                        principalTable: "grid_staff",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_households_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_households_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "household_members",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    household_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    relation = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    phone_cipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    phone_masked = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_household_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_household_members_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_household_members_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "visits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    household_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    worker_id = table.Column<Guid>(type: "uuid", nullable: true),
                    worker_name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    visited_on = table.Column<DateOnly>(type: "date", nullable: false),
                    heard = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    follow_up_needed = table.Column<bool>(type: "boolean", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: true),
                    recorded_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_visits", x => x.id);
                    table.ForeignKey(
                        name: "fk_visits_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_visits_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "case_categories",
                columns: new[] { "id", "active", "code", "name", "resolution_days", "response_hours", "sort_order" },
                values: new object[,]
                {
                    { new Guid("0197a000-0000-7000-8000-000000000001"), true, "construction-safety", "建筑施工安全", 3, 2, 1 },
                    { new Guid("0197a000-0000-7000-8000-000000000002"), true, "street-vending", "占道经营", 5, 24, 2 },
                    { new Guid("0197a000-0000-7000-8000-000000000003"), true, "road-paving", "路面硬化", 15, 24, 3 },
                    { new Guid("0197a000-0000-7000-8000-000000000004"), true, "sanitation", "环境卫生", 3, 24, 4 },
                    { new Guid("0197a000-0000-7000-8000-000000000005"), true, "traffic", "交通拥堵", 7, 24, 5 },
                    { new Guid("0197a000-0000-7000-8000-000000000006"), true, "property-dispute", "物业纠纷", 7, 24, 6 },
                    { new Guid("0197a000-0000-7000-8000-000000000007"), true, "neighbour-dispute", "矛盾纠纷", 7, 24, 7 },
                    { new Guid("0197a000-0000-7000-8000-000000000008"), true, "public-facility", "公共设施维修", 7, 24, 8 },
                    { new Guid("0197a000-0000-7000-8000-000000000009"), true, "noise", "噪音扰民", 5, 24, 9 },
                    { new Guid("0197a000-0000-7000-8000-00000000000a"), true, "other", "其他诉求", 7, 24, 99 }
                });

            migrationBuilder.CreateIndex(
                name: "ix_buildings_grid_id",
                table: "buildings",
                column: "grid_id");

            migrationBuilder.CreateIndex(
                name: "ix_buildings_organization_id",
                table: "buildings",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_categories_code",
                table: "case_categories",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_case_dispatches_case_id_department_id",
                table: "case_dispatches",
                columns: new[] { "case_id", "department_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_case_dispatches_department_id_status",
                table: "case_dispatches",
                columns: new[] { "department_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_case_events_case_id_at",
                table: "case_events",
                columns: new[] { "case_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_case_photos_case_id",
                table: "case_photos",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_category_id",
                table: "Cases",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_grid_id",
                table: "Cases",
                column: "grid_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_handling_organization_id",
                table: "Cases",
                column: "handling_organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_number",
                table: "Cases",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_organization_id_received_at",
                table: "Cases",
                columns: new[] { "organization_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_organization_id_status",
                table: "Cases",
                columns: new[] { "organization_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_received_at",
                table: "Cases",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_cases_status_resolution_due",
                table: "Cases",
                columns: new[] { "status", "resolution_due" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_tracking_hash",
                table: "Cases",
                column: "tracking_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_department_handlers_department_id",
                table: "DepartmentHandlers",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_department_handlers_user_id_department_id",
                table: "DepartmentHandlers",
                columns: new[] { "user_id", "department_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_departments_organization_id_name",
                table: "departments",
                columns: new[] { "organization_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_grid_staff_grid_id",
                table: "grid_staff",
                column: "grid_id");

            migrationBuilder.CreateIndex(
                name: "ix_grid_staff_organization_id",
                table: "grid_staff",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_grid_staff_user_id",
                table: "grid_staff",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_grids_community_id",
                table: "grids",
                column: "community_id");

            migrationBuilder.CreateIndex(
                name: "ix_grids_organization_id",
                table: "grids",
                column: "organization_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_household_members_household_id",
                table: "household_members",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_household_members_organization_id",
                table: "household_members",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_households_building_id",
                table: "households",
                column: "building_id");

            migrationBuilder.CreateIndex(
                name: "ix_households_grid_id_address",
                table: "households",
                columns: new[] { "grid_id", "address" });

            migrationBuilder.CreateIndex(
                name: "ix_households_household_lead_id",
                table: "households",
                column: "household_lead_id");

            migrationBuilder.CreateIndex(
                name: "ix_households_organization_id",
                table: "households",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_households_responsible_worker_id",
                table: "households",
                column: "responsible_worker_id");

            migrationBuilder.CreateIndex(
                name: "ix_visits_household_id_visited_on",
                table: "visits",
                columns: new[] { "household_id", "visited_on" });

            migrationBuilder.CreateIndex(
                name: "ix_visits_organization_id_visited_on",
                table: "visits",
                columns: new[] { "organization_id", "visited_on" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_dispatches");

            migrationBuilder.DropTable(
                name: "case_events");

            migrationBuilder.DropTable(
                name: "case_photos");

            migrationBuilder.DropTable(
                name: "DepartmentHandlers");

            migrationBuilder.DropTable(
                name: "household_members");

            migrationBuilder.DropTable(
                name: "visits");

            migrationBuilder.DropTable(
                name: "Cases");

            migrationBuilder.DropTable(
                name: "departments");

            migrationBuilder.DropTable(
                name: "households");

            migrationBuilder.DropTable(
                name: "case_categories");

            migrationBuilder.DropTable(
                name: "buildings");

            migrationBuilder.DropTable(
                name: "grid_staff");

            migrationBuilder.DropTable(
                name: "grids");
        }
    }
}
