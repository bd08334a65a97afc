/** The holder's wallet: a local web page over the HolderClient; keys stay in this process, the page gets none. */
package io.idstream.cli.wallet;
