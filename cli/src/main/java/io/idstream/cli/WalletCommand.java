package io.idstream.cli;

import io.idstream.cli.wallet.WalletServer;
import io.idstream.sdk.HolderClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.concurrent.CountDownLatch;

/** {@code idstream wallet}: the holder's web page on 127.0.0.1, until Ctrl-C or SIGTERM. */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        description = "Serve the holder's wallet page on 127.0.0.1: approve, deny, revoke, erase, see who accessed "
                + "what. Keys stay in this process.")
final class WalletCommand extends ClientCommands.ClientCommand {
    @Option(names = "--holder", required = true, paramLabel = "ID")
    String holder;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    void run() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, not " + port);
        }
        HolderClient client = new HolderClient(ClientCommands.load(options, holder, "holder"), options.properties());
        WalletServer wallet = WalletServer.start(client, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            wallet.close();
            client.close();
            stopped.countDown();
        }, "idstream-wallet-shutdown"));
        out().println("wallet.url=" + wallet.url());
        out().flush();
        spec.commandLine().getErr().println("idstream wallet: serving " + holder + "'s wallet; Ctrl-C to stop");
        spec.commandLine().getErr().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
