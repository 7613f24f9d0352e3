using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinSight.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPortfoliosAndTransactions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "portfolios",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    is_default = table.Column<bool>(type: "INTEGER", nullable: false),
                    cost_basis_method = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portfolios", x => x.id);
                    table.ForeignKey(
                        name: "FK_portfolios_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "transactions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    portfolio_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    symbol = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    quantity = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: true),
                    price = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: true),
                    fees = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: true),
                    amount = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: true),
                    split_numerator = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: true),
                    split_denominator = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: true),
                    trade_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    notes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transactions", x => x.id);
                    table.ForeignKey(
                        name: "FK_transactions_portfolios_portfolio_id",
                        column: x => x.portfolio_id,
                        principalTable: "portfolios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_transactions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ux_portfolios_user_name",
                table: "portfolios",
                columns: new[] { "user_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_transactions_portfolio_date",
                table: "transactions",
                columns: new[] { "portfolio_id", "trade_date" });

            migrationBuilder.CreateIndex(
                name: "ix_transactions_user_symbol",
                table: "transactions",
                columns: new[] { "user_id", "symbol" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "transactions");

            migrationBuilder.DropTable(
                name: "portfolios");
        }
    }
}
