using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinSight.Web.Data.Migrations.Sqlite
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
                    headline_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    model_version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    text_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    label = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    positive = table.Column<double>(type: "REAL", nullable: false),
                    negative = table.Column<double>(type: "REAL", nullable: false),
                    neutral = table.Column<double>(type: "REAL", nullable: false),
                    net = table.Column<double>(type: "REAL", nullable: false),
                    evidence = table.Column<string>(type: "TEXT", nullable: false),
                    analyzed_at = table.Column<long>(type: "INTEGER", nullable: false)
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
