using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tunnel.Server.Registry.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Cluster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_connections",
                table: "connections");

            migrationBuilder.AddColumn<string>(
                name: "agent_instance",
                table: "connections",
                type: "TEXT",
                maxLength: 128,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_connections",
                table: "connections",
                columns: new[] { "client_id", "tunnel_ws_id" });

            migrationBuilder.CreateTable(
                name: "nodes",
                columns: table => new
                {
                    node_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    internal_url = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    started = table.Column<DateTime>(type: "TEXT", nullable: false),
                    heartbeat = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_nodes", x => x.node_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "nodes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_connections",
                table: "connections");

            migrationBuilder.DropColumn(
                name: "agent_instance",
                table: "connections");

            migrationBuilder.AddPrimaryKey(
                name: "PK_connections",
                table: "connections",
                column: "client_id");
        }
    }
}
