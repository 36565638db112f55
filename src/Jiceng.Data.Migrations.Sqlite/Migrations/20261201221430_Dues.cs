using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Dues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DuesAdjustments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    MonthlyAmountFen = table.Column<long>(type: "INTEGER", nullable: false),
                    FromMonth = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ToMonth = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ApprovedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuesAdjustments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DuesAdjustments_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DuesAdjustments_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DuesBases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    MonthlyBaseFen = table.Column<long>(type: "INTEGER", nullable: true),
                    MonthlyAmountFen = table.Column<long>(type: "INTEGER", nullable: false),
                    RateBasisPoints = table.Column<int>(type: "INTEGER", nullable: true),
                    EffectiveMonth = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    OpeningPaidThrough = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuesBases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DuesBases_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DuesBases_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DuesPayments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Method = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    FromMonth = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MonthCount = table.Column<int>(type: "INTEGER", nullable: false),
                    DuesFen = table.Column<long>(type: "INTEGER", nullable: false),
                    VoluntaryFen = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalFen = table.Column<long>(type: "INTEGER", nullable: false),
                    MonthAmountsFen = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ProviderOrderId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    PaidAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PaidMonth = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuesPayments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DuesPayments_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DuesPayments_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: true),
                    Location = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.UserId, x.Operation, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "DuesPaymentMonths",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PaymentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AmountFen = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuesPaymentMonths", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DuesPaymentMonths_DuesPayments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "DuesPayments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DuesPaymentMonths_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DuesPaymentMonths_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DuesAdjustments_MemberId_FromMonth",
                table: "DuesAdjustments",
                columns: new[] { "MemberId", "FromMonth" });

            migrationBuilder.CreateIndex(
                name: "IX_DuesAdjustments_OrganizationId",
                table: "DuesAdjustments",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesBases_MemberId_EffectiveMonth",
                table: "DuesBases",
                columns: new[] { "MemberId", "EffectiveMonth" });

            migrationBuilder.CreateIndex(
                name: "IX_DuesBases_OrganizationId",
                table: "DuesBases",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesPaymentMonths_MemberId_Month",
                table: "DuesPaymentMonths",
                columns: new[] { "MemberId", "Month" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DuesPaymentMonths_OrganizationId",
                table: "DuesPaymentMonths",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesPaymentMonths_PaymentId",
                table: "DuesPaymentMonths",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesPayments_MemberId_CreatedAt",
                table: "DuesPayments",
                columns: new[] { "MemberId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DuesPayments_MemberId_PaidMonth",
                table: "DuesPayments",
                columns: new[] { "MemberId", "PaidMonth" });

            migrationBuilder.CreateIndex(
                name: "IX_DuesPayments_OrganizationId",
                table: "DuesPayments",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesPayments_Provider_ProviderOrderId",
                table: "DuesPayments",
                columns: new[] { "Provider", "ProviderOrderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreatedAt",
                table: "IdempotencyRecords",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DuesAdjustments");

            migrationBuilder.DropTable(
                name: "DuesBases");

            migrationBuilder.DropTable(
                name: "DuesPaymentMonths");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "DuesPayments");
        }
    }
}
