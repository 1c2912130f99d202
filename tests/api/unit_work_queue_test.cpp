// WorkQueue: every job is either run or rejected, exactly once; waiting is bounded; stop() answers
// the jobs still waiting and lets running ones finish.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "work_queue.hpp"

using support_reports::api::WorkQueue;
using namespace std::chrono_literals;

namespace {

// A latch the test opens to let blocked jobs finish.
class Gate {
public:
    void open() {
        std::lock_guard<std::mutex> l(mu_);
        open_ = true;
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return open_; });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool open_ = false;
};

struct Outcome {
    std::atomic<int> ran{0};
    std::atomic<int> rejected{0};
};

WorkQueue::Job counted(Outcome& o, std::function<void()> body = [] {}) {
    return {[&o, body] {
                body();
                ++o.ran;
            },
            [&o] { ++o.rejected; }};
}

bool eventually(const std::function<bool()>& cond) {
    for (int i = 0; i < 500; ++i) {
        if (cond()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return cond();
}

}  // namespace

TEST(WorkQueue, RunsEveryJobOnItsWorkers) {
    Outcome o;
    std::mutex mu;
    std::vector<std::thread::id> threads;
    {
        WorkQueue q(3, 0ms, 1000);
        for (int i = 0; i < 200; ++i)
            q.submit(counted(o, [&] {
                std::lock_guard<std::mutex> l(mu);
                threads.push_back(std::this_thread::get_id());
            }));
        ASSERT_TRUE(eventually([&] { return o.ran == 200; }));
    }
    EXPECT_EQ(o.rejected, 0);
    for (const auto& id : threads) EXPECT_NE(id, std::this_thread::get_id());
}

TEST(WorkQueue, RunsJobsConcurrentlyUpToTheWorkerCount) {
    // Two workers, two jobs that each wait for the other to start: only concurrency finishes them.
    WorkQueue q(2, 0ms, 10);
    std::promise<void> a_started, b_started;
    auto a_seen = a_started.get_future().share();
    auto b_seen = b_started.get_future().share();
    Outcome o;
    q.submit(counted(o, [&] {
        a_started.set_value();
        ASSERT_EQ(b_seen.wait_for(5s), std::future_status::ready);
    }));
    q.submit(counted(o, [&] {
        b_started.set_value();
        ASSERT_EQ(a_seen.wait_for(5s), std::future_status::ready);
    }));
    ASSERT_TRUE(eventually([&] { return o.ran == 2; }));
}

TEST(WorkQueue, RejectsAJobThatWaitedTooLongWithoutWaitingForTheWorker) {
    Gate gate;
    Outcome blocker, waiter;
    WorkQueue q(1, 200ms, 10);
    q.submit(counted(blocker, [&] { gate.wait(); }));
    const auto submitted = std::chrono::steady_clock::now();
    std::atomic<long long> rejected_after_ms{-1};
    q.submit({[&] { ++waiter.ran; },
              [&] {
                  rejected_after_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - submitted)
                                          .count();
                  ++waiter.rejected;
              }});
    // The worker is still blocked: the reaper answers the waiting job by itself.
    ASSERT_TRUE(eventually([&] { return waiter.rejected == 1; }));
    EXPECT_GE(rejected_after_ms.load(), 200);
    EXPECT_LT(rejected_after_ms.load(), 3000);
    EXPECT_EQ(waiter.ran, 0);
    EXPECT_EQ(q.waiting(), 0u);
    gate.open();
    ASSERT_TRUE(eventually([&] { return blocker.ran == 1; }));
    // A job submitted to an idle worker runs.
    q.submit(counted(waiter));
    ASSERT_TRUE(eventually([&] { return waiter.ran == 1; }));
    EXPECT_EQ(waiter.rejected, 1);
}

TEST(WorkQueue, RejectsAtOnceWhenTheQueueIsFull) {
    Gate gate;
    Outcome blocker, queued, overflow;
    WorkQueue q(1, 0ms, 2);
    q.submit(counted(blocker, [&] { gate.wait(); }));
    ASSERT_TRUE(eventually([&] { return q.waiting() == 0; }));  // the blocker is running
    q.submit(counted(queued));
    q.submit(counted(queued));
    q.submit(counted(overflow));  // a third waiting job is one too many
    EXPECT_EQ(overflow.rejected, 1);
    EXPECT_EQ(q.waiting(), 2u);
    gate.open();
    ASSERT_TRUE(eventually([&] { return queued.ran == 2; }));
    EXPECT_EQ(queued.rejected, 0);
    EXPECT_EQ(overflow.ran, 0);
}

TEST(WorkQueue, StopAnswersWaitingJobsAndFinishesRunningOnes) {
    Gate gate;
    Outcome running, waiting, late;
    auto q = std::make_unique<WorkQueue>(1, 0ms, 10);
    std::promise<void> started;
    q->submit(counted(running, [&] {
        started.set_value();
        gate.wait();
    }));
    started.get_future().wait();
    for (int i = 0; i < 5; ++i) q->submit(counted(waiting));
    auto stopper = std::async(std::launch::async, [&] { q->stop(); });
    ASSERT_TRUE(eventually([&] { return waiting.rejected == 5; }));
    EXPECT_EQ(stopper.wait_for(100ms), std::future_status::timeout);  // still running the first job
    gate.open();
    stopper.get();
    EXPECT_EQ(running.ran, 1);
    EXPECT_EQ(waiting.ran, 0);
    q->submit(counted(late));  // after stop: rejected, never run
    EXPECT_EQ(late.rejected, 1);
    EXPECT_EQ(late.ran, 0);
    q->stop();  // idempotent
}

TEST(WorkQueue, EveryJobIsAnsweredExactlyOnceUnderContention) {
    Outcome o;
    int submitted = 0;
    {
        WorkQueue q(2, 1ms, 64);
        // One job known to have run before the contention starts: on a loaded machine the workers
        // may otherwise get no CPU before every 1 ms deadline passes (seen in scripts/test).
        // (Even that one may be rejected for waiting 1 ms, so retry, boundedly.)
        for (int i = 0; i < 1000 && o.ran == 0; ++i) {
            ++submitted;
            q.submit(counted(o));
            eventually([&] { return o.ran + o.rejected == submitted; });
        }
        ASSERT_GT(o.ran, 0);
        std::vector<std::thread> producers;
        for (int p = 0; p < 4; ++p)
            producers.emplace_back([&] {
                for (int i = 0; i < 500; ++i) q.submit(counted(o, [] { std::this_thread::sleep_for(50us); }));
            });
        for (auto& t : producers) t.join();
    }  // the destructor stops the queue
    EXPECT_EQ(o.ran + o.rejected, 2000 + submitted);
    EXPECT_GT(o.ran, 0);
    EXPECT_GT(o.rejected, 0);
}
