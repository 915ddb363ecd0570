package io.pivotctl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay that forwards what clients send at a limited rate, so an upload lasts long enough for a
 * test to interrupt it midway. Answers flow back unthrottled.
 */
public final class SlowRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final int bytesPerSecond;
    private final AtomicLong forwarded = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public SlowRelay(int upstreamPort, int bytesPerSecond) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.bytesPerSecond = bytesPerSecond;
        Thread accept = new Thread(this::acceptLoop, "slow-relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes sent upstream so far. */
    public long forwarded() {
        return forwarded.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client.getInputStream(), upstream.getOutputStream(), true, upstream);
                pump(upstream.getInputStream(), client.getOutputStream(), false, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean throttled, Socket closeWhenDone) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[throttled ? 1024 : 16384];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    if (throttled) {
                        forwarded.addAndGet(n);
                        Thread.sleep(Math.max(1, 1000L * n / bytesPerSecond));
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away
            } finally {
                try {
                    closeWhenDone.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "slow-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
