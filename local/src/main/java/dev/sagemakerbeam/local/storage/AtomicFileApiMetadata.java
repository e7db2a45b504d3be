package dev.sagemakerbeam.local.storage;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import java.net.URI;
import java.util.Properties;
import org.jclouds.apis.internal.BaseApiMetadata;
import org.jclouds.blobstore.BlobRequestSigner;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.LocalBlobRequestSigner;
import org.jclouds.blobstore.attr.ConsistencyModel;
import org.jclouds.blobstore.config.BlobStoreObjectModule;
import org.jclouds.rest.internal.BaseHttpApiMetadata;

/**
 * The jclouds API of {@link AtomicFileBlobStore}, so that it is built by {@code
 * ContextBuilder.newBuilder(new AtomicFileApiMetadata())} like jclouds' own stores and S3Proxy can
 * serve it. Its id is not one of the stores S3Proxy has quirks for (S3Proxy stores a multipart
 * upload's metadata as a visible stub object for the filesystem store, for one).
 */
public final class AtomicFileApiMetadata extends BaseApiMetadata {
  /** The provider id S3Proxy sees. */
  public static final String ID = "sagemaker-local-files";

  public AtomicFileApiMetadata() {
    this(new Builder());
  }

  private AtomicFileApiMetadata(Builder builder) {
    super(builder);
  }

  @Override
  public Builder toBuilder() {
    return new Builder().fromApiMetadata(this);
  }

  /** Properties: the base directory goes in {@link AtomicFileBlobStore#BASEDIR}. */
  public static Properties defaultProperties() {
    return BaseHttpApiMetadata.defaultProperties();
  }

  /** The builder jclouds' {@code ApiMetadata} contract asks for. */
  public static final class Builder extends BaseApiMetadata.Builder<Builder> {
    Builder() {
      id(ID)
          .name("SageMaker Local's S3 object files")
          .identityName("Unused")
          .defaultEndpoint("http://localhost/sagemaker-local")
          .defaultIdentity("local")
          .defaultCredential("local")
          .version("1")
          .documentation(URI.create("https://github.com/"))
          .defaultProperties(AtomicFileApiMetadata.defaultProperties())
          .view(BlobStoreContext.class)
          .defaultModule(ContextModule.class);
    }

    @Override
    public AtomicFileApiMetadata build() {
      return new AtomicFileApiMetadata(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }

  /** The bindings of the context: the store itself, and what jclouds' BlobStoreContext needs. */
  public static final class ContextModule extends AbstractModule {
    @Override
    protected void configure() {
      bind(BlobStore.class).to(AtomicFileBlobStore.class).in(Scopes.SINGLETON);
      install(new BlobStoreObjectModule());
      bind(ConsistencyModel.class).toInstance(ConsistencyModel.STRICT);
      bind(BlobRequestSigner.class).to(LocalBlobRequestSigner.class);
    }
  }
}
