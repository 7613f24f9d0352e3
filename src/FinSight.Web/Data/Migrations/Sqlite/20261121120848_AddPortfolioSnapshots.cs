using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinSight.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPortfolioSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "portfolio_snapshots",
                columns: table => new
                {
                    portfolio_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    portfolio_version = table.Column<int>(type: "INTEGER", nullable: false),
                    benchmark = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    total_value = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: false),
                    market_value = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: false),
                    cash = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: false),
                    cost_basis = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: false),
                    net_contributions = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: false),
                    twr = table.Column<double>(type: "REAL", nullable: true),
                    twr_annualized = table.Column<double>(type: "REAL", nullable: true),
                    xirr = table.Column<double>(type: "REAL", nullable: true),
                    volatility = table.Column<double>(type: "REAL", nullable: true),
                    sharpe_ratio = table.Column<double>(type: "REAL", nullable: true),
                    sortino_ratio = table.Column<double>(type: "REAL", nullable: true),
                    max_drawdown = table.Column<double>(type: "REAL", nullable: true),
                    beta = table.Column<double>(type: "REAL", nullable: true),
                    alpha = table.Column<double>(type: "REAL", nullable: true),
                    computed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portfolio_snapshots", x => new { x.portfolio_id, x.date });
                    table.ForeignKey(
                        name: "FK_portfolio_snapshots_portfolios_portfolio_id",
                        column: x => x.portfolio_id,
                        principalTable: "portfolios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "portfolio_snapshots");
        }
    }
}
