//===- Etcd.cpp - The control-plane store: etcd v3 over gRPC --------------===//

#include "Etcd.h"

#include "etcd/etcdserver/api/v3election/v3electionpb/v3election.grpc.pb.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <sstream>

namespace npu::serve::net {

namespace {

/// "a:1,b:2" as a gRPC target: the ipv4 scheme takes a list of addresses
/// when every endpoint is a literal IPv4 address; otherwise the first
/// endpoint is resolved by DNS.
std::string targetOf(const std::string &endpoints) {
  std::vector<std::string> list;
  std::stringstream in(endpoints);
  for (std::string e; std::getline(in, e, ',');) {
    if (e.rfind("http://", 0) == 0)
      e = e.substr(7);
    if (!e.empty())
      list.push_back(e);
  }
  bool literal = !list.empty();
  for (const std::string &e : list)
    literal = literal && e.find_first_not_of("0123456789.:") == std::string::npos;
  if (!literal)
    return list.empty() ? std::string() : "dns:///" + list.front();
  std::string target = "ipv4:";
  for (size_t i = 0; i < list.size(); ++i)
    target += (i ? "," : "") + list[i];
  return target;
}

std::string failed(const char *what, const grpc::Status &status) {
  return std::string("etcd ") + what + ": " + status.error_message() + " (" +
         std::to_string(status.error_code()) + ")";
}

KeyValue fromProto(const mvccpb::KeyValue &kv) {
  return {kv.key(), kv.value(), kv.create_revision(), kv.mod_revision(),
          kv.lease()};
}

} // namespace

struct Etcd::Stubs {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<etcdserverpb::KV::Stub> kv;
  std::unique_ptr<etcdserverpb::Lease::Stub> lease;
  std::unique_ptr<etcdserverpb::Watch::Stub> watch;
  std::unique_ptr<v3electionpb::Election::Stub> election;
};

Etcd::Etcd(const std::string &endpoints, std::chrono::milliseconds deadline)
    : stubs(std::make_unique<Stubs>()), deadline(deadline) {
  grpc::ChannelArguments args;
  args.SetLoadBalancingPolicyName("round_robin");
  // Reconnect quickly to a member that comes back.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  stubs->channel = grpc::CreateCustomChannel(
      targetOf(endpoints), grpc::InsecureChannelCredentials(), args);
  stubs->kv = etcdserverpb::KV::NewStub(stubs->channel);
  stubs->lease = etcdserverpb::Lease::NewStub(stubs->channel);
  stubs->watch = etcdserverpb::Watch::NewStub(stubs->channel);
  stubs->election = v3electionpb::Election::NewStub(stubs->channel);
}

Etcd::~Etcd() = default;

void Etcd::setDeadline(grpc::ClientContext &context) const {
  context.set_deadline(std::chrono::system_clock::now() + deadline);
}

std::string Etcd::prefixEnd(const std::string &prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    if (static_cast<unsigned char>(end.back()) < 0xff) {
      end.back() = static_cast<char>(end.back() + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0'); // every key
}

std::string Etcd::put(const std::string &key, const std::string &value,
                      int64_t lease) {
  etcdserverpb::PutRequest request;
  request.set_key(key);
  request.set_value(value);
  request.set_lease(lease);
  etcdserverpb::PutResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->kv->Put(&context, request, &response);
  return status.ok() ? "" : failed("put", status);
}

std::string Etcd::erase(const std::string &key) {
  etcdserverpb::DeleteRangeRequest request;
  request.set_key(key);
  etcdserverpb::DeleteRangeResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->kv->DeleteRange(&context, request, &response);
  return status.ok() ? "" : failed("delete", status);
}

std::optional<KeyValue> Etcd::get(const std::string &key, std::string &error) {
  etcdserverpb::RangeRequest request;
  request.set_key(key);
  etcdserverpb::RangeResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->kv->Range(&context, request, &response);
  if (!status.ok()) {
    error = failed("get", status);
    return std::nullopt;
  }
  if (response.kvs_size() == 0)
    return std::nullopt;
  return fromProto(response.kvs(0));
}

std::vector<KeyValue> Etcd::range(const std::string &prefix,
                                  std::string &error, int64_t *revision) {
  etcdserverpb::RangeRequest request;
  request.set_key(prefix);
  request.set_range_end(prefixEnd(prefix));
  request.set_sort_order(etcdserverpb::RangeRequest::ASCEND);
  request.set_sort_target(etcdserverpb::RangeRequest::KEY);
  etcdserverpb::RangeResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->kv->Range(&context, request, &response);
  std::vector<KeyValue> out;
  if (!status.ok()) {
    error = failed("range", status);
    return out;
  }
  for (const mvccpb::KeyValue &kv : response.kvs())
    out.push_back(fromProto(kv));
  if (revision)
    *revision = response.header().revision();
  return out;
}

std::string Etcd::txn(const std::vector<TxnCompare> &compares,
                      const std::vector<TxnWrite> &writes, bool &succeeded,
                      int64_t *revision) {
  etcdserverpb::TxnRequest request;
  for (const TxnCompare &c : compares) {
    etcdserverpb::Compare *cmp = request.add_compare();
    cmp->set_key(c.key);
    switch (c.kind) {
    case TxnCompare::Kind::Absent:
      cmp->set_target(etcdserverpb::Compare::CREATE);
      cmp->set_result(etcdserverpb::Compare::EQUAL);
      cmp->set_create_revision(0);
      break;
    case TxnCompare::Kind::Exists:
      cmp->set_target(etcdserverpb::Compare::CREATE);
      cmp->set_result(etcdserverpb::Compare::GREATER);
      cmp->set_create_revision(0);
      break;
    case TxnCompare::Kind::ModRevision:
      cmp->set_target(etcdserverpb::Compare::MOD);
      cmp->set_result(etcdserverpb::Compare::EQUAL);
      cmp->set_mod_revision(c.revision);
      break;
    case TxnCompare::Kind::Value:
      cmp->set_target(etcdserverpb::Compare::VALUE);
      cmp->set_result(etcdserverpb::Compare::EQUAL);
      cmp->set_value(c.value);
      break;
    }
  }
  for (const TxnWrite &w : writes) {
    etcdserverpb::RequestOp *op = request.add_success();
    if (w.erase) {
      op->mutable_request_delete_range()->set_key(w.key);
    } else {
      etcdserverpb::PutRequest *put = op->mutable_request_put();
      put->set_key(w.key);
      put->set_value(w.value);
      put->set_lease(w.lease);
    }
  }
  etcdserverpb::TxnResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->kv->Txn(&context, request, &response);
  if (!status.ok())
    return failed("txn", status);
  succeeded = response.succeeded();
  if (revision)
    *revision = response.header().revision();
  return "";
}

int64_t Etcd::grantLease(int64_t ttlSeconds, std::string &error) {
  etcdserverpb::LeaseGrantRequest request;
  request.set_ttl(ttlSeconds);
  etcdserverpb::LeaseGrantResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->lease->LeaseGrant(&context, request, &response);
  if (!status.ok()) {
    error = failed("lease grant", status);
    return 0;
  }
  if (!response.error().empty()) {
    error = "etcd lease grant: " + response.error();
    return 0;
  }
  return response.id();
}

std::string Etcd::keepAlive(int64_t lease, int64_t &ttl) {
  grpc::ClientContext context;
  setDeadline(context);
  auto stream = stubs->lease->LeaseKeepAlive(&context);
  etcdserverpb::LeaseKeepAliveRequest request;
  request.set_id(lease);
  etcdserverpb::LeaseKeepAliveResponse response;
  if (!stream->Write(request) || !stream->Read(&response)) {
    stream->WritesDone();
    return failed("lease keep-alive", stream->Finish());
  }
  ttl = response.ttl();
  stream->WritesDone();
  context.TryCancel();
  stream->Finish();
  return "";
}

std::string Etcd::revoke(int64_t lease) {
  etcdserverpb::LeaseRevokeRequest request;
  request.set_id(lease);
  etcdserverpb::LeaseRevokeResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->lease->LeaseRevoke(&context, request, &response);
  return status.ok() ? "" : failed("lease revoke", status);
}

std::optional<std::string> Etcd::campaign(const std::string &name,
                                          int64_t lease,
                                          const std::string &value,
                                          std::string &error,
                                          std::chrono::seconds patience) {
  v3electionpb::CampaignRequest request;
  request.set_name(name);
  request.set_lease(lease);
  request.set_value(value);
  v3electionpb::CampaignResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + patience);
  grpc::Status status =
      stubs->election->Campaign(&context, request, &response);
  if (!status.ok()) {
    error = failed("campaign", status);
    return std::nullopt;
  }
  return response.leader().key();
}

std::optional<std::string> Etcd::leader(const std::string &name,
                                        std::string &error) {
  v3electionpb::LeaderRequest request;
  request.set_name(name);
  v3electionpb::LeaderResponse response;
  grpc::ClientContext context;
  setDeadline(context);
  grpc::Status status = stubs->election->Leader(&context, request, &response);
  if (!status.ok()) {
    // etcd answers "election: no leader" as an error.
    if (status.error_message().find("no leader") == std::string::npos)
      error = failed("leader", status);
    return std::nullopt;
  }
  return response.kv().value();
}

Etcd::Watch::~Watch() { stop(); }

void Etcd::Watch::stop() {
  stopping = true;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (context)
      context->TryCancel();
  }
  if (thread.joinable())
    thread.join();
}

std::unique_ptr<Etcd::Watch>
Etcd::watch(const std::string &prefix, int64_t fromRevision,
            std::function<void(const std::vector<WatchEvent> &)> onEvents) {
  std::unique_ptr<Watch> w(new Watch());
  Watch *self = w.get();
  w->thread = std::thread([this, self, prefix, fromRevision, onEvents] {
    int64_t next = fromRevision;
    while (!self->stopping) {
      auto context = std::make_shared<grpc::ClientContext>();
      {
        std::lock_guard<std::mutex> lock(self->mutex);
        if (self->stopping)
          return;
        self->context = context;
      }
      auto stream = stubs->watch->Watch(context.get());
      etcdserverpb::WatchRequest request;
      etcdserverpb::WatchCreateRequest *create =
          request.mutable_create_request();
      create->set_key(prefix);
      create->set_range_end(prefixEnd(prefix));
      create->set_start_revision(next);
      if (stream->Write(request)) {
        etcdserverpb::WatchResponse response;
        while (stream->Read(&response)) {
          if (response.compact_revision() > 0) // history gone: from now
            next = 0;
          std::vector<WatchEvent> events;
          for (const mvccpb::Event &e : response.events()) {
            events.push_back({e.type() == mvccpb::Event::DELETE,
                              fromProto(e.kv())});
            next = e.kv().mod_revision() + 1;
          }
          if (!events.empty())
            onEvents(events);
        }
      }
      context->TryCancel();
      stream->Finish();
      if (!self->stopping)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  return w;
}

LeaseKeeper::LeaseKeeper(Etcd &etcd, int64_t lease, int64_t ttlSeconds,
                         std::function<void()> onLost) {
  thread = std::thread([this, &etcd, lease, ttlSeconds, onLost] {
    auto period = std::chrono::milliseconds(
        std::max<int64_t>(100, ttlSeconds * 1000 / 3));
    auto renewed = std::chrono::steady_clock::now();
    while (!stopping) {
      int64_t ttl = 0;
      std::string error = etcd.keepAlive(lease, ttl);
      auto now = std::chrono::steady_clock::now();
      if (error.empty() && ttl > 0) {
        renewed = now;
      } else if ((error.empty() && ttl == 0) ||
                 now - renewed > std::chrono::seconds(ttlSeconds)) {
        onLost();
        return;
      }
      for (auto until = now + period;
           !stopping && std::chrono::steady_clock::now() < until;)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

LeaseKeeper::~LeaseKeeper() { stop(); }

void LeaseKeeper::stop() {
  stopping = true;
  if (thread.joinable())
    thread.join();
}

} // namespace npu::serve::net
