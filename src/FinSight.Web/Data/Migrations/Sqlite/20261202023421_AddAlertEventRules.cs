using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinSight.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddAlertEventRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "items",
                table: "alert_events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "alert_rule_occurrences",
                columns: table => new
                {
                    rule_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    event_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    fired_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_rule_occurrences", x => new { x.rule_id, x.key });
                    table.ForeignKey(
                        name: "FK_alert_rule_occurrences_alert_events_event_id",
                        column: x => x.event_id,
                        principalTable: "alert_events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_alert_rule_occurrences_alert_rules_rule_id",
                        column: x => x.rule_id,
                        principalTable: "alert_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alert_rule_occurrences_event_id",
                table: "alert_rule_occurrences",
                column: "event_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_rule_occurrences");

            migrationBuilder.DropColumn(
                name: "items",
                table: "alert_events");
        }
    }
}
