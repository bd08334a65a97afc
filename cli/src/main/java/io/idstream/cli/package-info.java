/**
 * The {@code idstream} command line: one picocli subcommand a job, exit code 0 when it worked, 1 when it was
 * refused or failed, 2 for a usage error, with one line on stderr saying why.
 */
package io.idstream.cli;
