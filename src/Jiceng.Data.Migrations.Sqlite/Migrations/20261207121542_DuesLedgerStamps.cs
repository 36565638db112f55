using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jiceng.Data.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DuesLedgerStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DuesLedgerStamps",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuesLedgerStamps", x => x.OrganizationId);
                });

            // ADR 009: the database stamps an organization whenever a row its members' dues ledgers count changes, in the writing
            // transaction, whatever path wrote it. Row triggers (SQLite has no statement triggers; it has one writer at a time).
            // Members count by their organization, name, status and joining date only (an edited phone number changes no ledger).
            migrationBuilder.Sql($"CREATE TRIGGER Members_dues_ledger_stamp_insert AFTER INSERT ON \"Members\" BEGIN {Stamp("NEW.\"OrganizationId\"")} END;");
            migrationBuilder.Sql("CREATE TRIGGER Members_dues_ledger_stamp_update AFTER UPDATE OF \"OrganizationId\", \"Name\", \"Status\", \"JoinedOn\" ON \"Members\" " +
                "WHEN OLD.\"OrganizationId\" IS NOT NEW.\"OrganizationId\" OR OLD.\"Name\" IS NOT NEW.\"Name\" OR OLD.\"Status\" IS NOT NEW.\"Status\" OR OLD.\"JoinedOn\" IS NOT NEW.\"JoinedOn\" " +
                $"BEGIN {Stamp("OLD.\"OrganizationId\"")} {Stamp("NEW.\"OrganizationId\"")} END;");
            migrationBuilder.Sql($"CREATE TRIGGER Members_dues_ledger_stamp_delete AFTER DELETE ON \"Members\" BEGIN {Stamp("OLD.\"OrganizationId\"")} END;");
            foreach (var table in StampedDuesTables)
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_dues_ledger_stamp_insert AFTER INSERT ON \"{table}\" BEGIN {Stamp("NEW.\"MemberOrganizationId\"")} END;");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_dues_ledger_stamp_update AFTER UPDATE ON \"{table}\" BEGIN {Stamp("OLD.\"MemberOrganizationId\"")} {Stamp("NEW.\"MemberOrganizationId\"")} END;");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_dues_ledger_stamp_delete AFTER DELETE ON \"{table}\" BEGIN {Stamp("OLD.\"MemberOrganizationId\"")} END;");
            }
        }

        private static readonly string[] StampedDuesTables = ["DuesBases", "DuesAdjustments", "DuesPayments", "DuesPaymentMonths"];

        private static string Stamp(string organization) =>
            $"INSERT INTO \"DuesLedgerStamps\" (\"OrganizationId\", \"Version\") VALUES ({organization}, 1) " +
            "ON CONFLICT (\"OrganizationId\") DO UPDATE SET \"Version\" = \"Version\" + 1;";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in StampedDuesTables.Prepend("Members"))
                foreach (var op in new[] { "insert", "update", "delete" })
                    migrationBuilder.Sql($"DROP TRIGGER {table}_dues_ledger_stamp_{op};");
            migrationBuilder.DropTable(
                name: "DuesLedgerStamps");
        }
    }
}
