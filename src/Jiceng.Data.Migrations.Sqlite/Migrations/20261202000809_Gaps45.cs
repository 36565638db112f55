using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Gaps45 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RefundedFen",
                table: "DuesPayments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "RefundedMonthCount",
                table: "DuesPayments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "RevokeReason",
                table: "DuesAdjustments",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RevokedAt",
                table: "DuesAdjustments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RevokedBy",
                table: "DuesAdjustments",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "RevokedFromMonth",
                table: "DuesAdjustments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApprovedBy",
                table: "AppraisalFollowUps",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClosedAt",
                table: "AppraisalFollowUps",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClosedBy",
                table: "AppraisalFollowUps",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedBy",
                table: "AppraisalFollowUps",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "DecidedOn",
                table: "AppraisalFollowUps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "AppraisalFollowUps",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OutcomeKind",
                table: "AppraisalFollowUps",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DuesRefunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PaymentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromMonth = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    MonthCount = table.Column<int>(type: "INTEGER", nullable: false),
                    MonthAmountsFen = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DuesFen = table.Column<long>(type: "INTEGER", nullable: false),
                    VoluntaryFen = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalFen = table.Column<long>(type: "INTEGER", nullable: false),
                    Method = table.Column<int>(type: "INTEGER", nullable: false),
                    RefundNo = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ProviderRefundId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RefundedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundedMonth = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuesRefunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DuesRefunds_DuesPayments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "DuesPayments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DuesRefunds_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DuesRefunds_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DuesRefunds_MemberId_RefundedAt",
                table: "DuesRefunds",
                columns: new[] { "MemberId", "RefundedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DuesRefunds_OrganizationId",
                table: "DuesRefunds",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesRefunds_PaymentId",
                table: "DuesRefunds",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_DuesRefunds_RefundNo",
                table: "DuesRefunds",
                column: "RefundNo",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DuesRefunds");

            migrationBuilder.DropColumn(
                name: "RefundedFen",
                table: "DuesPayments");

            migrationBuilder.DropColumn(
                name: "RefundedMonthCount",
                table: "DuesPayments");

            migrationBuilder.DropColumn(
                name: "RevokeReason",
                table: "DuesAdjustments");

            migrationBuilder.DropColumn(
                name: "RevokedAt",
                table: "DuesAdjustments");

            migrationBuilder.DropColumn(
                name: "RevokedBy",
                table: "DuesAdjustments");

            migrationBuilder.DropColumn(
                name: "RevokedFromMonth",
                table: "DuesAdjustments");

            migrationBuilder.DropColumn(
                name: "ApprovedBy",
                table: "AppraisalFollowUps");

            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "AppraisalFollowUps");

            migrationBuilder.DropColumn(
                name: "ClosedBy",
                table: "AppraisalFollowUps");

            migrationBuilder.DropColumn(
                name: "DecidedBy",
                table: "AppraisalFollowUps");

            migrationBuilder.DropColumn(
                name: "DecidedOn",
                table: "AppraisalFollowUps");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "AppraisalFollowUps");

            migrationBuilder.DropColumn(
                name: "OutcomeKind",
                table: "AppraisalFollowUps");
        }
    }
}
