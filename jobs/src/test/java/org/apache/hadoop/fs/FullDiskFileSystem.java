package org.apache.hadoop.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A test double: the local file system under the scheme {@code fulldisk:}, whose disk is full below
 * temporary outputs (paths containing {@code .tmp-}): writing there throws {@link FSError}, as Hadoop's local
 * file system does when the disk is full. It lives in Hadoop's package because FSError's constructor is
 * package-private. Register it with {@code fs.fulldisk.impl}.
 */
public final class FullDiskFileSystem extends RawLocalFileSystem {

  public static final String SCHEME = "fulldisk";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                   short replication, long blockSize, Progressable progress) throws IOException {
    FSDataOutputStream real = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    return f.toString().contains(".tmp-") ? full(real) : real;
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                   Progressable progress) throws IOException {
    FSDataOutputStream real = super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    return f.toString().contains(".tmp-") ? full(real) : real;
  }

  private static FSDataOutputStream full(FSDataOutputStream real) throws IOException {
    return new FSDataOutputStream(new OutputStream() {
      @Override
      public void write(int b) {
        throw new FSError(new IOException("No space left on device"));
      }

      @Override
      public void write(byte[] b, int off, int len) {
        throw new FSError(new IOException("No space left on device"));
      }

      @Override
      public void close() throws IOException {
        real.close();
      }
    }, null);
  }
}
