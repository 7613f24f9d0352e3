using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinSight.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddHeadlineSentiment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "headline_sentiments",
                columns: table => new
                {
                    headline_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    model_version = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    text_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    label = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    positive = table.Column<double>(type: "double precision", nullable: false),
                    negative = table.Column<double>(type: "double precision", nullable: false),
                    neutral = table.Column<double>(type: "double precision", nullable: false),
                    net = table.Column<double>(type: "double precision", nullable: false),
                    evidence = table.Column<string>(type: "text", nullable: false),
                    analyzed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headline_sentiments", x => new { x.headline_key, x.model_version });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "headline_sentiments");
        }
    }
}
