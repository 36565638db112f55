using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Development : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DevelopmentRecords",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    NameInitials = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Gender = table.Column<int>(type: "INTEGER", nullable: false),
                    Ethnicity = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    IdNumberCipher = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdNumberHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdNumberMasked = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PhoneCipher = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PhoneHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PhoneMasked = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Education = table.Column<int>(type: "INTEGER", nullable: false),
                    Occupation = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkUnit = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Stage = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    AppliedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ActivistOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CandidateOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    VotedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ApprovedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ProbationEndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FullMemberOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    LeavingOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: true),
                    NextDueOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NextDueStep = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DevelopmentRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DevelopmentRecords_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DevelopmentSteps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Documents = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Decision = table.Column<int>(type: "INTEGER", nullable: true),
                    Method = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    PersonIds = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PersonNames = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Entitled = table.Column<int>(type: "INTEGER", nullable: true),
                    Attending = table.Column<int>(type: "INTEGER", nullable: true),
                    VotesFor = table.Column<int>(type: "INTEGER", nullable: true),
                    VotesAgainst = table.Column<int>(type: "INTEGER", nullable: true),
                    VotesAbstaining = table.Column<int>(type: "INTEGER", nullable: true),
                    TrainingDays = table.Column<int>(type: "INTEGER", nullable: true),
                    TrainingHours = table.Column<int>(type: "INTEGER", nullable: true),
                    NoticeFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NoticeTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ApprovalExtended = table.Column<bool>(type: "INTEGER", nullable: false),
                    ExtensionMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    RuleVersion = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DevelopmentSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DevelopmentSteps_DevelopmentRecords_RecordId",
                        column: x => x.RecordId,
                        principalTable: "DevelopmentRecords",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DevelopmentRecords_IdNumberHash",
                table: "DevelopmentRecords",
                column: "IdNumberHash");

            migrationBuilder.CreateIndex(
                name: "IX_DevelopmentRecords_OrganizationId_Status_Stage",
                table: "DevelopmentRecords",
                columns: new[] { "OrganizationId", "Status", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_DevelopmentRecords_Status_NextDueOn",
                table: "DevelopmentRecords",
                columns: new[] { "Status", "NextDueOn" });

            migrationBuilder.CreateIndex(
                name: "IX_DevelopmentSteps_RecordId_OccurredOn",
                table: "DevelopmentSteps",
                columns: new[] { "RecordId", "OccurredOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DevelopmentSteps");

            migrationBuilder.DropTable(
                name: "DevelopmentRecords");
        }
    }
}
