using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinSight.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddMarketDataAndSymbolDirectory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "company_profiles",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    logo_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    sector = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    industry = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    market_cap = table.Column<decimal>(type: "numeric(28,2)", precision: 28, scale: 2, nullable: true),
                    exchange = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    website = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_company_profiles", x => x.symbol);
                });

            migrationBuilder.CreateTable(
                name: "daily_bars",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    open = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    high = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    low = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    close = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    adjusted_close = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    volume = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_daily_bars", x => new { x.symbol, x.date });
                });

            migrationBuilder.CreateTable(
                name: "news_feeds",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_news_feeds", x => x.symbol);
                });

            migrationBuilder.CreateTable(
                name: "news_headlines",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    headline_id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    title = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    publisher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    related_symbols = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_news_headlines", x => new { x.symbol, x.headline_id });
                });

            migrationBuilder.CreateTable(
                name: "stock_dividends",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ex_date = table.Column<DateOnly>(type: "date", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_dividends", x => new { x.symbol, x.ex_date });
                });

            migrationBuilder.CreateTable(
                name: "stock_quotes",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    price = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    previous_close = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: true),
                    day_high = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: true),
                    day_low = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: true),
                    volume = table.Column<long>(type: "bigint", nullable: true),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    market_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_quotes", x => x.symbol);
                });

            migrationBuilder.CreateTable(
                name: "stock_splits",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    numerator = table.Column<int>(type: "integer", nullable: false),
                    denominator = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_splits", x => new { x.symbol, x.date });
                });

            migrationBuilder.CreateTable(
                name: "stocks",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    exchange = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    type = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    sector = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    industry = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stocks", x => x.symbol);
                });

            migrationBuilder.CreateIndex(
                name: "ix_news_headlines_symbol_published",
                table: "news_headlines",
                columns: new[] { "symbol", "published_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "company_profiles");

            migrationBuilder.DropTable(
                name: "daily_bars");

            migrationBuilder.DropTable(
                name: "news_feeds");

            migrationBuilder.DropTable(
                name: "news_headlines");

            migrationBuilder.DropTable(
                name: "stock_dividends");

            migrationBuilder.DropTable(
                name: "stock_quotes");

            migrationBuilder.DropTable(
                name: "stock_splits");

            migrationBuilder.DropTable(
                name: "stocks");
        }
    }
}
