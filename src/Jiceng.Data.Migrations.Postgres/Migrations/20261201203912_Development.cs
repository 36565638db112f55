using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Development : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "development_records",
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
                    education = table.Column<int>(type: "integer", nullable: false),
                    occupation = table.Column<int>(type: "integer", nullable: false),
                    work_unit = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    stage = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    applied_on = table.Column<DateOnly>(type: "date", nullable: false),
                    activist_on = table.Column<DateOnly>(type: "date", nullable: true),
                    candidate_on = table.Column<DateOnly>(type: "date", nullable: true),
                    voted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    approved_on = table.Column<DateOnly>(type: "date", nullable: true),
                    probation_ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    full_member_on = table.Column<DateOnly>(type: "date", nullable: true),
                    leaving_on = table.Column<DateOnly>(type: "date", nullable: true),
                    member_id = table.Column<Guid>(type: "uuid", nullable: true),
                    next_due_on = table.Column<DateOnly>(type: "date", nullable: true),
                    next_due_step = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_development_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_development_records_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "development_steps",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    occurred_on = table.Column<DateOnly>(type: "date", nullable: false),
                    actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    documents = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    decision = table.Column<int>(type: "integer", nullable: true),
                    method = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    person_ids = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    person_names = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    entitled = table.Column<int>(type: "integer", nullable: true),
                    attending = table.Column<int>(type: "integer", nullable: true),
                    votes_for = table.Column<int>(type: "integer", nullable: true),
                    votes_against = table.Column<int>(type: "integer", nullable: true),
                    votes_abstaining = table.Column<int>(type: "integer", nullable: true),
                    training_days = table.Column<int>(type: "integer", nullable: true),
                    training_hours = table.Column<int>(type: "integer", nullable: true),
                    notice_from = table.Column<DateOnly>(type: "date", nullable: true),
                    notice_to = table.Column<DateOnly>(type: "date", nullable: true),
                    approval_extended = table.Column<bool>(type: "boolean", nullable: false),
                    extension_months = table.Column<int>(type: "integer", nullable: true),
                    rule_version = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_development_steps", x => x.id);
                    table.ForeignKey(
                        name: "fk_development_steps_development_records_record_id",
                        column: x => x.record_id,
                        principalTable: "development_records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_development_records_id_number_hash",
                table: "development_records",
                column: "id_number_hash");

            migrationBuilder.CreateIndex(
                name: "ix_development_records_organization_id_status_stage",
                table: "development_records",
                columns: new[] { "organization_id", "status", "stage" });

            migrationBuilder.CreateIndex(
                name: "ix_development_records_status_next_due_on",
                table: "development_records",
                columns: new[] { "status", "next_due_on" });

            migrationBuilder.CreateIndex(
                name: "ix_development_steps_record_id_occurred_on",
                table: "development_steps",
                columns: new[] { "record_id", "occurred_on" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "development_steps");

            migrationBuilder.DropTable(
                name: "development_records");
        }
    }
}
