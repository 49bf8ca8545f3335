// A real gRPC server (google.golang.org/grpc) with many client connections under load: a healthy
// program for gmon's corpus (`npm run eval`), which must never be flagged likely. It serves gRPC's
// built-in health service (grpc/health, so no protoc is needed) on one loopback port and
// net/http/pprof on another; its clients run in a second process (this binary with -clients), as
// a server's clients do, so the dump gmon reads is the server's alone:
//
//   - 32 client connections (each its own grpc.ClientConn, so its own TCP connection and HTTP/2
//     transport, with keepalive pings), dialled over the first second like clients arriving;
//
//   - on each connection 2 long-lived Watch streams (server-streaming RPCs parked between updates)
//     and a loop of unary Check calls;
//
//   - the served status flips every 700 ms, so the Watch streams get updates;
//
//   - every 400 ms one connection is closed and a new one dialled in its place (clients come and go).
//
//     grpc -port 0          print "corpus: grpc-health listening on 127.0.0.1:PORT" (the pprof port)
//     grpc -list            the scenario row as JSON, like the main corpus binary
//     grpc -clients ADDR    the load (started by the server; exits when its stdin closes)
//
// Its own module, apart from test/corpus: grpc needs Go 1.26+ (the corpus builds with 1.19 too)
// and takes long to build cold; the main corpus and `npm test` do not wait for it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/exec"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
)

const (
	connections      = 32
	watchesPerConn   = 2
	service          = "gmon.corpus.Echo"
	statusFlipEvery  = 700 * time.Millisecond
	reconnectEvery   = 400 * time.Millisecond
	checkPause       = 20 * time.Millisecond
	clientPingPeriod = 10 * time.Second
)

func main() {
	port := flag.Int("port", 0, "pprof port on 127.0.0.1 (0: any free one)")
	list := flag.Bool("list", false, "print the scenario row as JSON and exit")
	flag.String("scenario", "grpc-health", "the one scenario this binary runs")
	clients := flag.String("clients", "", "run the client load against this gRPC address")
	flag.Parse()
	if *clients != "" {
		go runClients(*clients)
		// The server holds our stdin open; when it exits (or is killed), so do we.
		_, _ = io.Copy(io.Discard, os.Stdin)
		return
	}
	if *list {
		out, _ := json.MarshalIndent([]map[string]string{{
			"name":    "grpc-health",
			"kind":    "healthy",
			"pattern": "a gRPC server (grpc-go health service) with 32 client connections under load: Watch streams, unary calls, reconnects",
		}}, "", "  ")
		fmt.Println(string(out))
		return
	}

	grpcLn, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	server := grpc.NewServer(
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: 30 * time.Second, Timeout: 10 * time.Second}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 5 * time.Second, PermitWithoutStream: true}),
	)
	hs := health.NewServer()
	hs.SetServingStatus(service, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(server, hs)
	go func() { _ = server.Serve(grpcLn) }()
	go flipStatus(hs)
	startClients(grpcLn.Addr().String())

	httpLn, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	check(err)
	fmt.Printf("corpus: grpc-health listening on 127.0.0.1:%d\n", httpLn.Addr().(*net.TCPAddr).Port)
	_ = http.Serve(httpLn, nil)
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "grpc: %v\n", err)
		os.Exit(1)
	}
}

// clientsStdin is held (not closed, not collected) while the server lives.
var clientsStdin io.WriteCloser

// startClients runs the load in a second process, tied to this one by its stdin pipe.
func startClients(addr string) {
	self, err := os.Executable()
	check(err)
	cmd := exec.Command(self, "-clients", addr)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	clientsStdin, err = cmd.StdinPipe() // kept open for our lifetime: closed by the kernel when we exit
	check(err)
	check(cmd.Start())
}

// flipStatus toggles the service between SERVING and NOT_SERVING, so Watch streams get updates.
func flipStatus(hs *health.Server) {
	serving := true
	for range time.Tick(statusFlipEvery) {
		serving = !serving
		status := healthpb.HealthCheckResponse_NOT_SERVING
		if serving {
			status = healthpb.HealthCheckResponse_SERVING
		}
		hs.SetServingStatus(service, status)
	}
}

// client is one connection with its Watch streams and its Check loop; stop ends all of them.
type client struct {
	stop func()
	done sync.WaitGroup
}

func dial(addr string) *client {
	conn, err := grpc.NewClient(addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: clientPingPeriod, Timeout: 5 * time.Second, PermitWithoutStream: true}),
	)
	check(err)
	ctx, cancel := context.WithCancel(context.Background())
	c := &client{}
	c.stop = func() {
		cancel()
		c.done.Wait()
		_ = conn.Close()
	}
	api := healthpb.NewHealthClient(conn)
	for w := 0; w < watchesPerConn; w++ {
		c.done.Add(1)
		go func() {
			defer c.done.Done()
			watch(ctx, api)
		}()
	}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		for ctx.Err() == nil {
			call, end := context.WithTimeout(ctx, time.Second)
			_, _ = api.Check(call, &healthpb.HealthCheckRequest{Service: service})
			end()
			time.Sleep(checkPause)
		}
	}()
	return c
}

// watch holds a Watch stream open, reading every status update, and reopens it if it breaks.
func watch(ctx context.Context, api healthpb.HealthClient) {
	for ctx.Err() == nil {
		stream, err := api.Watch(ctx, &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		for {
			if _, err := stream.Recv(); err != nil {
				break
			}
		}
	}
}

// runClients dials the connections over the first second, then replaces one at a time.
func runClients(addr string) {
	clients := make([]*client, connections)
	for i := range clients {
		clients[i] = dial(addr)
		time.Sleep(time.Second / connections)
	}
	for i := 0; ; i = (i + 1) % connections {
		time.Sleep(reconnectEvery)
		clients[i].stop()
		clients[i] = dial(addr)
	}
}
