using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinSight.Web.Data.Migrations.Postgres
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
                    portfolio_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    portfolio_version = table.Column<int>(type: "integer", nullable: false),
                    benchmark = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    total_value = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    market_value = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    cash = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    cost_basis = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    net_contributions = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    twr = table.Column<double>(type: "double precision", nullable: true),
                    twr_annualized = table.Column<double>(type: "double precision", nullable: true),
                    xirr = table.Column<double>(type: "double precision", nullable: true),
                    volatility = table.Column<double>(type: "double precision", nullable: true),
                    sharpe_ratio = table.Column<double>(type: "double precision", nullable: true),
                    sortino_ratio = table.Column<double>(type: "double precision", nullable: true),
                    max_drawdown = table.Column<double>(type: "double precision", nullable: true),
                    beta = table.Column<double>(type: "double precision", nullable: true),
                    alpha = table.Column<double>(type: "double precision", nullable: true),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
