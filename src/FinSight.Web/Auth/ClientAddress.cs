using System.Net;
using System.Net.Sockets;

namespace FinSight.Web.Auth;

/// <summary>The caller's address as a throttling key (after the forwarded-headers middleware).</summary>
public static class ClientAddress
{
    /// <summary>
    /// IPv4 as is; IPv6 by its /64 network, because one subscriber usually holds a whole /64 and
    /// could otherwise try from 2^64 "addresses". Null when the connection has no address.
    /// </summary>
    public static string? Key(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
