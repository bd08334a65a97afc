package io.idstream.cli.client;

import io.idstream.cli.client.HolderCommands.HolderCommand;
import io.idstream.cli.wallet.WalletServer;
import io.idstream.sdk.HolderClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * {@code idstream wallet}: the holder's web page on 127.0.0.1, until Ctrl-C or SIGTERM. Its one line on stdout is the
 * address to open, with the secret of this start in it.
 */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        description = {"Serve the holder's wallet page on 127.0.0.1: approve, deny, revoke, erase, see who accessed "
                + "what. Keys stay in this process.",
                "Prints the page's address as wallet.url=http://127.0.0.1:PORT/?token=SECRET: open that address. The "
                + "secret is new at every start and shown nowhere else; the browser that opens it keeps it as a "
                + "cookie, and every other program on this computer, without it, gets nothing from the wallet.",
                "The wallet reaches the platform through the holder gateway (--gateway-url) and follows the holder's "
                + "events there: the page is told of every new request, grant change and audit entry as it "
                + "happens."})
public final class WalletCommand extends HolderCommand {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    void checkOptions() {
        if (port < 0 || port > 65535) {
            throw usage("--port must be between 0 and 65535, not " + port);
        }
    }

    @Override
    void run(HolderClient client) {
        WalletServer wallet = WalletServer.start(client, connection::events, port);
        CountDownLatch stopped = new CountDownLatch(1);
        // On Ctrl-C or SIGTERM the JVM may halt as soon as this hook ends: it closes the client itself.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            wallet.close();
            client.close();
            stopped.countDown();
        }, "idstream-wallet-shutdown"));
        Renderer output = output();
        output.setting("wallet.url", wallet.url());
        output.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("idstream wallet: serving " + holder + "'s wallet; open wallet.url, secret included, in a "
                + "browser; Ctrl-C to stop");
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
