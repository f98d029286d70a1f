// Beast/Asio transport. Each connection is a Session on its own strand; the Handler sees only
// transport-neutral http::Request/Response values.
#include "net/server.h"

#include <atomic>
#include <ctime>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "crypto/random.h"

namespace cognate::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Interface the server needs to reach live sessions at shutdown.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void OnShutdown() = 0;
};

}  // namespace

struct Server::Impl {
  ServerOptions opt;
  Handler handler;
  AccessLog access_log;
  asio::io_context ioc;
  std::optional<asio::ssl::context> ssl;
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  asio::signal_set signals{ioc};
  asio::steady_timer drain_timer{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};
  std::mutex mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;

  void Accept();
  void Register(const std::shared_ptr<SessionBase>& s) {
    std::lock_guard lock(mu);
    sessions.emplace(s.get(), s);
  }
  void Unregister(SessionBase* s) {
    std::lock_guard lock(mu);
    sessions.erase(s);
    if (stopping && sessions.empty()) drain_timer.cancel();
  }
  void BeginShutdown();
};

namespace {

// The RFC 9110 Date header value, formatted once per second per thread.
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(buf);
    cached_second = now;
  }
  return cached;
}

// Builds the small JSON error the transport itself answers with (bad HTTP, limits).
http::Response TransportError(int status, std::string_view type, std::string_view message) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/x-amz-json-1.1");
  r.Set("x-amzn-ErrorType", std::string(type));
  r.body = "{\"__type\":\"" + std::string(type) + "\",\"message\":\"" + std::string(message) + "\"}";
  r.log_error = std::string(type);
  return r;
}

template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Server::Impl& server, Stream stream, std::string remote)
      : server_(server),
        stream_(std::move(stream)),
        remote_(std::move(remote)),
        // Room for a whole header block: the parser needs it contiguous.
        buffer_(server.opt.header_limit + 4096) {}
  ~Session() override {
    server_.connections--;
    server_.Unregister(this);
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(self->server_.opt.read_timeout);
        self->stream_.async_handshake(asio::ssl::stream_base::server,
                                      [self](beast::error_code ec) {
                                        if (ec) return self->Close();
                                        self->BeginRead();
                                      });
      } else {
        self->BeginRead();
      }
    });
  }

  void OnShutdown() override {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->Close();  // Busy sessions close after writing their response.
    });
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Waits up to the idle timeout for the first byte of the next request, then gives the
  // whole request the (shorter) read timeout, so a client trickling bytes is cut off.
  void BeginRead() {
    if (server_.stopping) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.opt.header_limit));
    parser_->body_limit(server_.opt.body_limit);
    sent_continue_ = false;
    if (buffer_.size() > 0) return StartRequest();  // Pipelined bytes already waiting.
    Lowest().expires_after(server_.opt.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](
                                                       beast::error_code ec, std::size_t n) {
      if (ec) return self->Close();
      self->buffer_.commit(n);
      self->StartRequest();
    });
  }

  void StartRequest() {
    Lowest().expires_after(server_.opt.read_timeout);
    if (server_.opt.body_limit_for) ApplyUploadLimit();
    ReadSome();
  }

  // Beast checks Content-Length against the body limit as the header ends, so the limit for an
  // upload is chosen before parsing, from the request line already in the buffer (a client
  // sends it in its first segment; otherwise the default limit stays).
  void ApplyUploadLimit() {
    std::string_view waiting(static_cast<const char*>(buffer_.data().data()),
                             buffer_.data().size());
    const auto line_end = waiting.find("\r\n");
    if (line_end == std::string_view::npos) return;
    std::string_view line = waiting.substr(0, line_end);
    const auto first_space = line.find(' ');
    const auto last_space = line.rfind(' ');
    if (first_space == std::string_view::npos || last_space <= first_space) return;
    const std::size_t limit =
        server_.opt.body_limit_for(line.substr(0, first_space),
                                   line.substr(first_space + 1, last_space - first_space - 1));
    if (limit <= server_.opt.body_limit) return;
    parser_->body_limit(limit);
    Lowest().expires_after(server_.opt.upload_timeout);
  }

  void ReadSome() {
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                             self->OnRead(ec, n);
                           });
  }

  void OnRead(beast::error_code ec, std::size_t n) {
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
      return Fail(431, "RequestHeaderFieldsTooLargeException", "Request header is too large.");
    if (ec == bhttp::error::body_limit)
      return Fail(413, "RequestEntityTooLargeException", "Request body exceeds the size limit.");
    if (ec == bhttp::error::bad_target || ec == bhttp::error::bad_method ||
        ec == bhttp::error::bad_version || ec == bhttp::error::bad_field ||
        ec == bhttp::error::bad_value || ec == bhttp::error::bad_line_ending ||
        ec == bhttp::error::bad_content_length || ec == bhttp::error::bad_chunk ||
        ec == bhttp::error::bad_transfer_encoding || ec == bhttp::error::bad_obs_fold)
      return Fail(400, "BadRequestException", "Malformed HTTP request.");
    if (ec) return Close();  // EOF, timeout (slow or idle client), reset.
    if (parser_->is_header_done() && !parser_->is_done() && !sent_continue_ &&
        beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      sent_continue_ = true;
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                               [self = this->shared_from_this()](beast::error_code ec,
                                                                 std::size_t) {
                                 if (ec) return self->Close();
                                 self->ReadSome();
                               });
    }
    if (!parser_->is_done()) return ReadSome();
    Dispatch();
  }

  void Dispatch() {
    busy_ = true;
    Lowest().expires_never();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    request_ = http::Request{};
    request_.method = std::string(msg.method_string());
    request_.target = std::string(msg.target());
    for (const auto& f : msg) request_.headers.emplace_back(f.name_string(), f.value());
    request_.body = std::move(msg.body());
    request_.remote_addr = remote_;
    request_.request_id = crypto::RandomUuid();
    begin_ = Clock::now();
    parser_.reset();
    // The handler takes the request; the session keeps only what the access log needs.
    http::Request for_handler = std::move(request_);
    request_ = http::Request{};
    request_.method = for_handler.method;
    request_.target = for_handler.target;
    request_.remote_addr = remote_;
    request_.request_id = for_handler.request_id;
    // Keeps Run() alive while a handler completes on another thread.
    auto work = std::make_shared<asio::executor_work_guard<asio::any_io_executor>>(
        stream_.get_executor());
    server_.handler(std::move(for_handler),
                    [self = this->shared_from_this(), work](http::Response response) {
                      asio::dispatch(self->stream_.get_executor(),
                                     [self, work, r = std::move(response)]() mutable {
                                       self->Write(std::move(r));
                                     });
                    });
  }

  void Fail(int status, std::string_view type, std::string_view message) {
    busy_ = true;
    keep_alive_ = false;
    request_ = http::Request{};
    request_.method = parser_ && parser_->is_header_done()
                          ? std::string(parser_->get().method_string()) : "";
    request_.remote_addr = remote_;
    request_.request_id = crypto::RandomUuid();
    begin_ = Clock::now();
    Write(TransportError(status, type, message));
  }

  void Write(http::Response r) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    for (const auto& [k, v] : r.headers) res->insert(k, v);
    res->set("x-amzn-RequestId", request_.request_id);
    res->set(bhttp::field::server, "cognate");
    res->set(bhttp::field::date, HttpDate());
    res->body() = r.body;
    res->keep_alive(keep_alive_ && !server_.stopping);
    res->prepare_payload();
    Lowest().expires_after(server_.opt.write_timeout);
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin_);
    bhttp::async_write(stream_, *res,
                       [self = this->shared_from_this(), res, r = std::move(r), elapsed](
                           beast::error_code ec, std::size_t) {
                         if (self->server_.access_log)
                           self->server_.access_log(self->request_, r, elapsed);
                         self->busy_ = false;
                         if (ec || !res->keep_alive()) return self->Close();
                         self->BeginRead();
                       });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    if constexpr (kTls) {
      Lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->Lowest().socket().close(ignored);
      });
    } else {
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      Lowest().cancel();
      Lowest().socket().close(ignored);
    }
  }

  Server::Impl& server_;
  Stream stream_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  http::Request request_;
  Clock::time_point begin_;
  bool sent_continue_ = false;
  bool busy_ = false;
  bool keep_alive_ = true;
  bool closed_ = false;
};

}  // namespace

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping && ec != asio::error::operation_aborted) Accept();
      return;
    }
    if (connections.load() >= opt.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);  // Over the cap: refuse rather than queue without bound.
      return Accept();
    }
    connections++;
    beast::error_code rec;
    auto endpoint = socket.remote_endpoint(rec);
    std::string remote = rec ? "" : endpoint.address().to_string();
    socket.set_option(tcp::no_delay(true), rec);
    std::shared_ptr<SessionBase> session;
    if (ssl) {
      auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *ssl),
          std::move(remote));
      session = s;
      Register(session);
      s->Start();
    } else {
      auto s = std::make_shared<Session<beast::tcp_stream>>(
          *this, beast::tcp_stream(std::move(socket)), std::move(remote));
      session = s;
      Register(session);
      s->Start();
    }
    Accept();
  });
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  asio::post(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
  });
  beast::error_code ignored;
  signals.cancel(ignored);
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(mu);
    for (auto& [_, weak] : sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
    if (live.empty()) return;
    drain_timer.expires_after(opt.drain_timeout);
  }
  drain_timer.async_wait([this](beast::error_code ec) {
    if (!ec) ioc.stop();  // In-flight work did not finish in time.
  });
  for (auto& s : live) s->OnShutdown();
}

Server::Server(ServerOptions options, Handler handler, AccessLog access_log)
    : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  impl_->handler = std::move(handler);
  impl_->access_log = std::move(access_log);
  if (!impl_->opt.tls_cert_file.empty() || !impl_->opt.tls_key_file.empty()) {
    impl_->ssl.emplace(asio::ssl::context::tls_server);
    auto& ctx = *impl_->ssl;
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    try {
      ctx.use_certificate_chain_file(impl_->opt.tls_cert_file);
      ctx.use_private_key_file(impl_->opt.tls_key_file, asio::ssl::context::pem);
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot load TLS certificate/key: " + std::string(e.what()));
    }
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->opt.host, ec);
  if (ec) throw std::runtime_error("invalid listen address: " + impl_->opt.host);
  tcp::endpoint endpoint(address, impl_->opt.port);
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->opt.host + ":" +
                             std::to_string(impl_->opt.port) + ": " + ec.message());
}

Server::~Server() = default;

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }
bool Server::tls() const { return impl_->ssl.has_value(); }

void Server::Run(bool handle_signals) {
  if (handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) impl_->BeginShutdown();
    });
  }
  impl_->Accept();
  int n = impl_->opt.threads > 0 ? impl_->opt.threads
                                 : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Shutdown() {
  asio::post(impl_->ioc, [this] { impl_->BeginShutdown(); });
}

}  // namespace cognate::net
