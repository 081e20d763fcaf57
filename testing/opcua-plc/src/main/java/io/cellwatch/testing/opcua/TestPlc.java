package io.cellwatch.testing.opcua;

import io.cellwatch.testing.FreePorts;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.DefaultServerCertificateValidator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * A real OPC-UA server (Eclipse Milo's server SDK) on loopback standing in for a PLC in tests and the bench: a
 * folder {@code Battery} in namespace 2 with variables of numeric ids, endpoints with security policy None and
 * Basic256Sha256 (sign and encrypt) under a certificate made here, a trust list folder for client certificates,
 * anonymous and user {@value #USER} / {@value #PASSWORD} logins. It can be stopped and started again on the same
 * port with the same certificate, variables and values, as a PLC restart. Not thread-safe for setup; values may be
 * set from any thread.
 */
public final class TestPlc implements AutoCloseable {

    public static final String USER = "plc-reader";
    public static final String PASSWORD = "plc-secret";
    public static final String APPLICATION_URI = "urn:cellwatch:test-plc";
    /** The variables' namespace; the first one a server adds after its own, so index 2. */
    public static final String NAMESPACE = "urn:cellwatch:test-plc:battery";

    private final int port;
    private final Path pki;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Map<Integer, Variable> variables = new LinkedHashMap<>();
    private OpcUaServer server;
    private PlcNamespace namespace;
    private boolean running;

    /** A PLC whose trust list and certificate live in {@code dir}; not started. */
    public TestPlc(final Path dir) throws Exception {
        this.port = FreePorts.one();
        this.pki = dir.resolve("plc-pki");
        Files.createDirectories(pki);
        this.keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        this.certificate = new SelfSignedCertificateBuilder(keys)
                .setCommonName("cellwatch test PLC")
                .setApplicationUri(APPLICATION_URI)
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .build();
    }

    /** A variable {@code Battery/NAME} with node id {@code ns=2;i=ID}, of the type of {@code initial}. */
    public TestPlc variable(final int id, final String name, final NodeId dataType, final Object initial) {
        variables.put(id, new Variable(id, name, dataType, new DataValue(new Variant(initial))));
        return this;
    }

    /** Starts the server: it listens when this returns. */
    public synchronized TestPlc start() throws Exception {
        if (server == null) {
            prepare();
        }
        namespace.startup();
        server.startup().get(30, TimeUnit.SECONDS);
        running = true;
        return this;
    }

    /**
     * Makes the server, not yet listening. Milo loads its standard address space here (about a second, more under
     * load), as a PLC boots before it opens its port: a restart's outage is then only what the test makes it.
     */
    private void prepare() throws Exception {
        final DefaultTrustListManager trust = new DefaultTrustListManager(pki.toFile());
        final Set<EndpointConfiguration> endpoints = new LinkedHashSet<>();
        final EndpointConfiguration.Builder base = EndpointConfiguration.newBuilder()
                .setBindAddress("127.0.0.1").setHostname("127.0.0.1").setBindPort(port).setPath("/plc")
                .setCertificate(certificate)
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS,
                        OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None)
                .build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
        endpoints.add(base.copy().setPath("/plc/discovery").setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None).build());
        final OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri(APPLICATION_URI)
                .setApplicationName(LocalizedText.english("cellwatch test PLC"))
                .setProductUri(APPLICATION_URI)
                .setEndpoints(endpoints)
                .setCertificateManager(new DefaultCertificateManager(keys, certificate))
                .setTrustListManager(trust)
                .setCertificateValidator(new DefaultServerCertificateValidator(trust))
                .setIdentityValidator(new UsernameIdentityValidator(true,
                        challenge -> USER.equals(challenge.getUsername())
                                && PASSWORD.equals(challenge.getPassword())))
                .build();
        server = new OpcUaServer(config);
        namespace = new PlcNamespace(server);
    }

    /**
     * Stops the server (sessions and subscriptions die with it); the variables keep their values. The next server is
     * made first, before this one closes its port, so the outage lasts from here to {@link #start()}, which only
     * opens the port again.
     */
    public synchronized void stop() throws Exception {
        if (running) {
            final OpcUaServer current = server;
            final PlcNamespace currentNamespace = namespace;
            prepare();
            currentNamespace.shutdown();
            current.shutdown().get(30, TimeUnit.SECONDS);
            running = false;
        }
    }

    private void shutdown() throws Exception {
        if (running) {
            namespace.shutdown();
            server.shutdown().get(30, TimeUnit.SECONDS);
            running = false;
        }
        server = null;
        namespace = null;
    }

    /** {@code opc.tcp://127.0.0.1:PORT/plc}. */
    public String endpoint() {
        return "opc.tcp://127.0.0.1:" + port + "/plc";
    }

    /** The PLC's certificate, as a gateway admin would receive it. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Trusts a client certificate (DER), as a PLC admin would: it goes into the trust list's {@code trusted/certs}. */
    public void trust(final Path der) throws Exception {
        final Path certs = pki.resolve("trusted").resolve("certs");
        Files.createDirectories(certs);
        Files.copy(der, certs.resolve(der.getFileName()));
    }

    /** Sets a good value with source time {@code sourceTime} (epoch ms). */
    public void set(final int id, final Object value, final long sourceTime) {
        final DateTime time = new DateTime(java.util.Date.from(java.time.Instant.ofEpochMilli(sourceTime)));
        update(id, new DataValue(new Variant(value), StatusCode.GOOD, time, DateTime.now()));
    }

    /** Sets a value with a bad status (e.g. {@code StatusCodes.Bad_SensorFailure}). */
    public void setBad(final int id, final long statusCode) {
        update(id, new DataValue(Variant.NULL_VALUE, new StatusCode(statusCode), DateTime.now(), DateTime.now()));
    }

    private synchronized void update(final int id, final DataValue value) {
        final Variable variable = variables.get(id);
        variable.value = value;
        if (variable.node != null) {
            variable.node.setValue(value);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        shutdown();
    }

    private static final class Variable {
        private final int id;
        private final String name;
        private final NodeId dataType;
        private volatile DataValue value;
        private volatile UaVariableNode node;

        private Variable(final int id, final String name, final NodeId dataType, final DataValue value) {
            this.id = id;
            this.name = name;
            this.dataType = dataType;
            this.value = value;
        }
    }

    /** The PLC's address space: the Battery folder under Objects, sampled through Milo's subscription model. */
    private final class PlcNamespace extends ManagedNamespaceWithLifecycle {

        private final SubscriptionModel subscriptions;

        private PlcNamespace(final OpcUaServer server) {
            super(server, NAMESPACE);
            subscriptions = new SubscriptionModel(server, this);
            getLifecycleManager().addLifecycle(subscriptions);
            getLifecycleManager().addStartupTask(this::addNodes);
        }

        private void addNodes() {
            final UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Battery"),
                    newQualifiedName("Battery"), LocalizedText.english("Battery"));
            getNodeManager().addNode(folder);
            folder.addReference(new org.eclipse.milo.opcua.sdk.core.Reference(folder.getNodeId(),
                    Identifiers.Organizes, Identifiers.ObjectsFolder.expanded(), false));
            final List<Variable> all = new ArrayList<>(variables.values());
            for (final Variable variable : all) {
                final UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                        .setNodeId(newNodeId(uint(variable.id)))
                        .setBrowseName(newQualifiedName(variable.name))
                        .setDisplayName(LocalizedText.english(variable.name))
                        .setDataType(variable.dataType)
                        .setTypeDefinition(Identifiers.BaseDataVariableType)
                        .build();
                node.setValue(variable.value);
                getNodeManager().addNode(node);
                folder.addOrganizes(node);
                variable.node = node;
            }
        }

        @Override
        public void onDataItemsCreated(final List<DataItem> items) {
            subscriptions.onDataItemsCreated(items);
        }

        @Override
        public void onDataItemsModified(final List<DataItem> items) {
            subscriptions.onDataItemsModified(items);
        }

        @Override
        public void onDataItemsDeleted(final List<DataItem> items) {
            subscriptions.onDataItemsDeleted(items);
        }

        @Override
        public void onMonitoringModeChanged(final List<MonitoredItem> items) {
            subscriptions.onMonitoringModeChanged(items);
        }
    }
}
