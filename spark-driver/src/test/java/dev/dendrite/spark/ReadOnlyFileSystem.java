package dev.dendrite.spark;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code readonly:}, refusing every new file as HDFS refuses a
 * directory without write permission; tests run as root, for whom a local read-only directory is
 * writable after all.
 */
public final class ReadOnlyFileSystem extends RawLocalFileSystem {

  @Override
  public URI getUri() {
    return URI.create("readonly:///");
  }

  @Override
  public String getScheme() {
    return "readonly";
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                   Progressable progress) throws IOException {
    throw denied(f);
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                   short replication, long blockSize, Progressable progress) throws IOException {
    throw denied(f);
  }

  private static AccessControlException denied(Path f) {
    return new AccessControlException("Permission denied: user=dendrite, access=WRITE, inode=\"" + f.getParent()
        + "\":root:supergroup:drwxr-xr-x");
  }
}
