#include "common/request_meta.h"

namespace cognate {
namespace {

thread_local const RequestMeta* current = nullptr;

}  // namespace

const RequestMeta* CurrentRequestMeta() { return current; }

ScopedRequestMeta::ScopedRequestMeta(const RequestMeta& meta) : previous_(current) {
  current = &meta;
}

ScopedRequestMeta::~ScopedRequestMeta() { current = previous_; }

}  // namespace cognate
