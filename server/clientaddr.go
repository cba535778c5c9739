package server

import (
	"net"
	"net/http"

	"github.com/realclientip/realclientip-go"

	"github.com/marketingos/marketingos/internal/config"
)

// clientAddress is the one answer to "which address is this client?", for every limiter and the IP hash alike.
//
// Behind a load balancer each proxy appends the address it received the request from to X-Forwarded-For, so the
// rightmost entries are the proxies' and the first one left of them is the client's: what a client writes into
// the header itself sits further left and is never taken. A request whose peer is not a proxy is its peer address,
// whatever it says: a client that reaches the server directly cannot forge one.
type clientAddress struct {
	forwarded realclientip.Strategy // nil: TRUST_PROXY is off
	proxy     func(net.IP) bool     // whether the peer is one of the proxies
}

func newClientAddress(c config.Tracking) clientAddress {
	if !c.TrustProxy {
		return clientAddress{}
	}
	if len(c.TrustedProxies) == 0 {
		// Proxies on a private network (the usual load balancer): every private or loopback hop is one.
		return clientAddress{
			forwarded: realclientip.Must(realclientip.NewRightmostNonPrivateStrategy("X-Forwarded-For")),
			proxy:     func(ip net.IP) bool { return ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() },
		}
	}
	ranges, err := realclientip.AddressesAndRangesToIPNets(c.TrustedProxies...)
	if err != nil {
		panic(err) // config.Load has checked every entry
	}
	return clientAddress{
		forwarded: realclientip.Must(realclientip.NewRightmostTrustedRangeStrategy("X-Forwarded-For", ranges)),
		proxy: func(ip net.IP) bool {
			for _, r := range ranges {
				if r.Contains(ip) {
					return true
				}
			}
			return false
		},
	}
}

// of returns r's client address.
func (a clientAddress) of(r *http.Request) string {
	peer := realclientip.RemoteAddrStrategy{}.ClientIP(nil, r.RemoteAddr)
	if peer == "" {
		peer = r.RemoteAddr // not host:port (a test's request): the best there is
	}
	if a.forwarded == nil || !a.proxy(net.ParseIP(peer)) {
		return peer
	}
	if ip := a.forwarded.ClientIP(r.Header, r.RemoteAddr); ip != "" {
		return ip
	}
	return peer // every hop was a proxy, or the header is missing or malformed
}
